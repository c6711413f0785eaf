import { access } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { DEFAULT_BAUD_RATE, type Operation } from '../../common/serial';
import type { SecretRedactor } from '../security/secret-redactor';
import { DeviceClient } from './device-client';
import { SerialError } from './errors';
import { FrameParser, type SerialItem } from './frame-parser';
import { openError, type OpenErrorEnvironment } from './open-errors';

export interface OpenLinkOptions {
  path: string;
  redactor: SecretRedactor;
  baudRate?: number;
  /** Extra attempts for idempotent operations (default 2). */
  retries?: number;
  timeouts?: Partial<Record<Operation, number>>;
  signal?: AbortSignal;
  /** For tests of the error messages. */
  openErrorEnvironment?: OpenErrorEnvironment;
}

/**
 * One open port with its parser and protocol client. It owns the port: `close()` releases it,
 * and a port that closes or vanishes on its own fails the client with SERIAL_PORT_CLOSED or
 * SERIAL_DEVICE_GONE, so no request waits for a timeout on a dead port.
 */
export class SerialLink {
  readonly path: string;
  readonly client: DeviceClient;
  readonly #port: SerialPort;
  readonly #parser: FrameParser;
  #closing = false;

  private constructor(path: string, port: SerialPort, parser: FrameParser, client: DeviceClient) {
    this.path = path;
    this.#port = port;
    this.#parser = parser;
    this.client = client;
  }

  static async open(options: OpenLinkOptions): Promise<SerialLink> {
    const baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    const port = new SerialPort({ path: options.path, baudRate, autoOpen: false, lock: true });
    if (options.signal?.aborted) {
      throw new SerialError('SERIAL_ABORTED', `Opening ${options.path} was cancelled.`, { port: options.path });
    }
    try {
      await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    } catch (error) {
      throw await openError(options.path, error, options.openErrorEnvironment);
    }
    // Whatever the adapter buffered while nobody listened is stale (old replies, an old boot log);
    // the device's `log` operation gives its recent lines when they matter.
    await new Promise<void>((resolve) => port.flush(() => resolve()));
    const parser = new FrameParser({ baudRate });
    const path = options.path;
    const client = new DeviceClient({
      portName: path,
      redactor: options.redactor,
      baudRate,
      retries: options.retries,
      timeouts: options.timeouts,
      write: (bytes) => write(port, path, bytes),
      isPresent: () =>
        access(path).then(
          () => true,
          () => false,
        ),
    });
    const link = new SerialLink(path, port, parser, client);
    port.pipe(parser);
    parser.on('data', (item: SerialItem) => client.receive(item));
    port.on('error', (error: Error & { disconnected?: boolean; code?: string }) => link.#lost(error));
    port.on('close', (error?: Error & { disconnected?: boolean }) => link.#lost(error));
    return link;
  }

  get isOpen(): boolean {
    return this.#port.isOpen && !this.#closing;
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.client.fail(
      new SerialError('SERIAL_PORT_CLOSED', `${this.path} was closed by the station.`, { port: this.path }),
    );
    this.#port.unpipe(this.#parser);
    this.#parser.destroy();
    if (this.#port.isOpen) {
      await new Promise<void>((resolve) => this.#port.close(() => resolve()));
    }
  }

  #lost(error: (Error & { disconnected?: boolean; code?: string }) | undefined): void {
    if (this.#closing) return;
    // Closing without an error is someone else closing our port; with one, the device went away.
    const gone = error !== undefined && error !== null;
    this.client.fail(
      gone
        ? new SerialError(
            'SERIAL_DEVICE_GONE',
            `${this.path} disappeared: the device was unplugged or its USB adapter reset. Plug it back in; the station will ask the device what it holds before going on.`,
            { port: this.path, cause: error },
          )
        : new SerialError('SERIAL_PORT_CLOSED', `${this.path} was closed.`, { port: this.path }),
    );
    void this.close();
  }
}

function write(port: SerialPort, path: string, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!port.isOpen) {
      reject(new SerialError('SERIAL_PORT_CLOSED', `${path} is not open.`, { port: path }));
      return;
    }
    port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) => {
      if (error) {
        reject(
          new SerialError(
            'SERIAL_DEVICE_GONE',
            `${path} stopped accepting data: the device was unplugged or its USB adapter reset. Plug it back in and retry.`,
            { port: path, cause: error },
          ),
        );
        return;
      }
      port.drain(() => resolve());
    });
  });
}
