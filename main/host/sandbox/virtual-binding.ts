/*
 * The shapes of serialport's BindingInterface (@serialport/bindings-interface), written out here:
 * that package's typings do not resolve under its "exports" map with bundler resolution.
 */
interface OpenOptions {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  lock?: boolean;
  stopBits?: 1 | 1.5 | 2;
  parity?: string;
  rtscts?: boolean;
  xon?: boolean;
  xoff?: boolean;
  xany?: boolean;
  hupcl?: boolean;
}
interface PortInfo {
  path: string;
  manufacturer: string | undefined;
  serialNumber: string | undefined;
  pnpId: string | undefined;
  locationId: string | undefined;
  productId: string | undefined;
  vendorId: string | undefined;
}
interface PortStatus {
  cts: boolean;
  dsr: boolean;
  dcd: boolean;
}

/** The device's side of a virtual port: bytes the station wrote go here; `push` sends bytes back. */
export interface VirtualDeviceEnd {
  fromStation(bytes: Uint8Array): void;
}

class CanceledError extends Error {
  readonly canceled = true;
  constructor(message: string) {
    super(message);
    this.name = 'CanceledError';
  }
}

/**
 * In-process serial ports for the sandbox where socat is missing (Windows, macOS without it): a
 * serialport `BindingInterface`, so the station talks to a simulated unit through the same
 * `SerialPortStream`, parser and protocol client as to a USB adapter. One station-side opener per
 * port at a time, like a real tty opened with a lock.
 */
export class VirtualBinding {
  readonly #devices = new Map<string, VirtualDeviceEnd>();
  readonly #open = new Map<string, VirtualPort>();

  /** Connects a unit at `path` (plugged in). */
  plug(path: string, device: VirtualDeviceEnd): void {
    this.#devices.set(path, device);
  }

  /** Disconnects it: an open port errors as a real one does when its adapter is pulled. */
  unplug(path: string): void {
    this.#devices.delete(path);
    this.#open.get(path)?.lost();
    this.#open.delete(path);
  }

  has(path: string): boolean {
    return this.#devices.has(path);
  }

  paths(): string[] {
    return [...this.#devices.keys()];
  }

  /** Bytes from the unit towards the station (dropped when nobody has the port open, as on a UART). */
  push(path: string, bytes: Uint8Array): void {
    this.#open.get(path)?.deliver(bytes);
  }

  async list(): Promise<PortInfo[]> {
    return this.paths().map((path) => ({
      path,
      manufacturer: 'Keyline sandbox',
      serialNumber: undefined,
      pnpId: undefined,
      locationId: undefined,
      productId: undefined,
      vendorId: undefined,
    }));
  }

  async open(options: OpenOptions): Promise<VirtualPort> {
    const device = this.#devices.get(options.path);
    if (!device)
      throw Object.assign(new Error(`Error: No such file or directory, cannot open ${options.path}`), {
        code: 'ENOENT',
      });
    if (this.#open.has(options.path)) throw new Error('Error Resource temporarily unavailable Cannot lock port');
    const port = new VirtualPort(
      {
        dataBits: 8,
        lock: true,
        stopBits: 1,
        parity: 'none',
        rtscts: false,
        xon: false,
        xoff: false,
        xany: false,
        hupcl: true,
        ...options,
      },
      device,
      () => this.#open.delete(options.path),
    );
    this.#open.set(options.path, port);
    return port;
  }
}

export class VirtualPort {
  readonly openOptions: Required<OpenOptions>;
  isOpen = true;
  #buffered: Buffer[] = [];
  #pending: { resolve: () => void; reject: (error: Error) => void } | undefined;
  readonly #device: VirtualDeviceEnd;
  readonly #onClose: () => void;
  #baudRate: number;

  constructor(options: Required<OpenOptions>, device: VirtualDeviceEnd, onClose: () => void) {
    this.openOptions = options;
    this.#device = device;
    this.#onClose = onClose;
    this.#baudRate = options.baudRate;
  }

  deliver(bytes: Uint8Array): void {
    if (!this.isOpen) return;
    this.#buffered.push(Buffer.from(bytes));
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.resolve();
  }

  /** The unit went away: the read fails with a real (not cancelled) error, which disconnects the stream. */
  lost(): void {
    this.isOpen = false;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(Object.assign(new Error('device disconnected'), { disconnected: true }));
    this.#onClose();
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.isOpen = false;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(new CanceledError('Read canceled'));
    this.#onClose();
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    while (this.#buffered.length === 0) {
      if (!this.isOpen) throw new CanceledError('Read canceled');
      await new Promise<void>((resolve, reject) => (this.#pending = { resolve, reject }));
    }
    const chunk = this.#buffered[0]!;
    const bytesRead = Math.min(length, chunk.length);
    chunk.copy(buffer, offset, 0, bytesRead);
    if (bytesRead === chunk.length) this.#buffered.shift();
    else this.#buffered[0] = chunk.subarray(bytesRead);
    return { buffer, bytesRead };
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw new CanceledError('Write canceled');
    this.#device.fromStation(new Uint8Array(buffer));
  }

  async update(options: { baudRate: number }): Promise<void> {
    this.#baudRate = options.baudRate;
  }

  async set(_options: object): Promise<void> {}

  async get(): Promise<PortStatus> {
    return { cts: true, dsr: true, dcd: true };
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.#baudRate };
  }

  async flush(): Promise<void> {
    this.#buffered = [];
  }

  async drain(): Promise<void> {}
}
