import { createHash } from 'node:crypto';
import {
  type DecodedItem,
  decodeJsonPayload,
  DEVICE_HTTP_TIMEOUT_MS,
  encodeFrame,
  encodeJsonPayload,
  fingerprintInput,
  type Frame,
  FrameType,
  isOperation,
  MAX_PAYLOAD,
  type Operation,
  PROTOCOL_VERSION,
  Request,
  StreamDecoder,
  type LogLevel,
} from '../../common/serial';
import { bootLines, bootNoise, chatterLine } from './boot-log';
import { createRandom, type Faults, includes, NO_FAULTS } from './faults';
import type { Flash, SlotTable, StoredSlot } from './flash';
import { runPlatformTest } from './platform-calls';
import * as slots from './slot-table';
import { DeviceFault } from './slot-table';

export interface FirmwareIdentity {
  hwid: string;
  model: string;
  fw: string;
}

export interface FirmwareOptions extends FirmwareIdentity {
  flash: Flash;
  faults?: Faults;
  /** Where `test` sends its HTTP calls instead of the staged API URL (a bench proxy), if set. */
  platformOverride?: string;
  fetch?: typeof fetch;
  maxPayload?: number;
  /** Simulated time one flash write takes. */
  flashWriteMs?: number;
  /** How long the boot log takes to print. */
  bootMs?: number;
  /** Mean interval of background log lines; 0 for none. */
  chatterMs?: number;
  /** Wall clock, for `hello.clock`. */
  now?: () => number;
  /** Called for each log line the firmware prints (the simulator's own trace). */
  onLine?: (line: string) => void;
}

/** Output towards the UART: paced, and dropped on reset. */
export interface FirmwareOutput {
  /** `whole`: a frame, which leaves in one piece (no pause inside it, §1). */
  write(bytes: Uint8Array, options?: { whole?: boolean }): void;
  drained(): Promise<void>;
  reset(): void;
}

/** Thrown inside a handler when the CPU reset under it: the handler stops without answering. */
class Halted extends Error {}

const LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug'];
const RING_LINES = 200;
const CAPS = ['test', 'identify', 'log', 'mqtt'];
const REQUEST_STALL_MS = 1000;
const textEncoder = new TextEncoder();

/**
 * The device firmware model: one UART, one request at a time, flash slots, boot log noise,
 * the protocol of docs/serial-protocol.md, and the faults of `faults.ts`. It knows nothing about
 * ptys; `simulator.ts` wires it to a paced serial port.
 */
export class Firmware {
  readonly identity: FirmwareIdentity;
  readonly #options: FirmwareOptions;
  readonly #flash: Flash;
  #faults: Faults;
  #random: () => number;
  #out: FirmwareOutput | undefined;
  #decoder: StreamDecoder;
  #queue: Frame[] = [];
  /** The epoch whose worker is running, if any: a reset orphans the old worker (it stops on its own). */
  #working: number | undefined;
  #ready = false;
  #epoch = 0;
  #abort = new AbortController();
  #bootedAt = performance.now();
  #level: LogLevel = 'info';
  #ring: string[] = [];
  #last: { id: number; crc: number; reply: Uint8Array } | undefined;
  #chatter: NodeJS.Timeout | undefined;
  /** Gives up on an incomplete request frame (§2.3 step 5, §7). */
  #stall: NodeJS.Timeout | undefined;
  #identifyUntil = 0;

  constructor(options: FirmwareOptions) {
    this.#options = options;
    this.identity = { hwid: options.hwid, model: options.model, fw: options.fw };
    this.#flash = options.flash;
    this.#faults = options.faults ?? NO_FAULTS;
    this.#random = createRandom(this.#faults.seed);
    this.#decoder = this.#newDecoder();
  }

  #newDecoder(): StreamDecoder {
    return new StreamDecoder({ maxPayload: this.#options.maxPayload ?? MAX_PAYLOAD });
  }

  get faults(): Faults {
    return this.#faults;
  }

  set faults(faults: Faults) {
    this.#faults = faults;
    if (faults.seed !== undefined) this.#random = createRandom(faults.seed);
  }

  get ready(): boolean {
    return this.#ready;
  }

  get table(): SlotTable {
    return this.#flash.table;
  }

  get boots(): number {
    return this.#flash.contents.boots;
  }

  get uptimeMs(): number {
    return Math.round(performance.now() - this.#bootedAt);
  }

  get identifying(): boolean {
    return performance.now() < this.#identifyUntil;
  }

  recentLog(): string[] {
    return [...this.#ring];
  }

  attach(out: FirmwareOutput | undefined): void {
    this.#out = out;
  }

  /** Bytes that crossed the wire from the station. */
  receive(bytes: Uint8Array): void {
    // Before the application runs, the UART is not read: those bytes are lost, as on hardware.
    if (!this.#ready) return;
    const hadFrame = this.#decoder.pending.bytes > 0;
    const items = this.#decoder.push(bytes);
    // A frame that started in this chunk (or a new one after a completed frame) starts its clock.
    if (this.#decoder.pending.bytes === 0) this.#clearStall();
    else if (!hadFrame || items.length > 0) this.#armStall(this.#epoch);
    this.#take(items);
  }

  #take(items: DecodedItem[]): void {
    for (const item of items) {
      if (item.kind === 'frame' && item.frame.type === FrameType.request) this.#queue.push(item.frame);
    }
    if (this.#queue.length > 0 && this.#working !== this.#epoch) void this.#work();
  }

  /**
   * An incomplete frame is given up 1 s after its first byte (the flat limit §2.3 allows a device)
   * and its bytes rescanned: the rest of a request cut off by a station that crashed or closed
   * mid-write must not swallow the next station's requests.
   */
  #armStall(epoch: number): void {
    this.#clearStall();
    this.#stall = setTimeout(() => {
      this.#stall = undefined;
      if (epoch !== this.#epoch) return;
      const items = this.#decoder.expire();
      if (this.#decoder.pending.bytes > 0) this.#armStall(epoch);
      this.#take(items);
    }, REQUEST_STALL_MS);
    this.#stall.unref();
  }

  #clearStall(): void {
    if (this.#stall) clearTimeout(this.#stall);
    this.#stall = undefined;
  }

  /** Starts the firmware: boot log, flash load, boot counter, `boot` event. */
  async powerOn(reason: string): Promise<void> {
    const epoch = ++this.#epoch;
    this.#abort = new AbortController();
    this.#bootedAt = performance.now();
    this.#ready = false;
    this.#level = 'info';
    this.#decoder = this.#newDecoder();
    this.#clearStall();
    this.#queue = [];
    this.#last = undefined;
    this.#identifyUntil = 0;
    const bootMs = this.#options.bootMs ?? 300;
    this.#out?.write(bootNoise(this.#random));
    const lines = bootLines({ ...this.identity, reason, random: this.#random });
    for (const line of lines) {
      await sleep(bootMs / lines.length);
      if (epoch !== this.#epoch) return;
      this.#print(line);
    }
    await this.#flash.write({ ...this.#flash.contents, boots: this.#flash.contents.boots + 1 });
    if (epoch !== this.#epoch) return;
    const active = this.#flash.table.active;
    this.#log('info', 'nvs', `table seq ${this.#flash.table.seq}, active ${active ? active.deviceId : 'none'}`);
    if (this.#faults.leakSecrets && active) this.#leak('boot', active);
    // The boot event leaves before the UART is read (§5.12), so no reply can follow a boot event
    // for a request sent before it: the station may treat that request as lost.
    this.#send(FrameType.event, 0, { event: 'boot', proto: this.#version, reason, boots: this.#flash.contents.boots });
    await this.#out?.drained();
    if (epoch !== this.#epoch) return;
    this.#ready = true;
    this.#startChatter(epoch);
  }

  /** Power gone (unplugged): everything stops, nothing is printed. */
  powerOff(): void {
    this.#epoch++;
    this.#ready = false;
    this.#abort.abort();
    this.#clearStall();
    if (this.#chatter) clearTimeout(this.#chatter);
    this.#chatter = undefined;
    this.#out?.reset();
  }

  /** A reset (watchdog, reboot request, brown-out): stop everything, then boot again. */
  reset(reason: string, delayMs = 30): void {
    this.powerOff();
    const epoch = this.#epoch;
    setTimeout(() => {
      if (epoch === this.#epoch) void this.powerOn(reason);
    }, delayMs);
  }

  get #version(): number {
    return this.#faults.oldProtocol ? 0 : PROTOCOL_VERSION;
  }

  async #work(): Promise<void> {
    const epoch = this.#epoch;
    this.#working = epoch;
    try {
      while (this.#queue.length > 0 && epoch === this.#epoch) {
        const frame = this.#queue.shift()!;
        try {
          await this.#handle(frame, epoch);
        } catch (error) {
          if (!(error instanceof Halted)) {
            this.#log('error', 'prov', `internal error: ${(error as Error).message}`);
            if (epoch === this.#epoch)
              this.#reply(frame, epoch, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
          }
        }
      }
    } finally {
      if (this.#working === epoch) this.#working = undefined;
    }
  }

  async #handle(frame: Frame, epoch: number): Promise<void> {
    if (this.#faults.mute) return;
    const crc = frameCrc(frame);
    if (this.#last && this.#last.id === frame.id && this.#last.crc === crc) {
      this.#log('debug', 'prov', `duplicate request ${frame.id}: sending the same reply again`);
      this.#sendBytes(this.#last.reply);
      return;
    }
    if (frame.version !== this.#version) {
      this.#log('warn', 'prov', `request in protocol version ${frame.version}; this firmware speaks ${this.#version}`);
      await this.#reply(frame, epoch, {
        ok: false,
        error: { code: 'VERSION_UNSUPPORTED', message: `speaks protocol ${this.#version}` },
        supported: [this.#version],
      });
      return;
    }
    const body = decodeJsonPayload(frame.payload);
    const op = body?.['op'];
    if (!body || typeof op !== 'string') {
      await this.#reply(frame, epoch, fault(new DeviceFault('BAD_REQUEST', 'payload is not a request', 'op')));
      return;
    }
    if (!isOperation(op)) {
      await this.#reply(frame, epoch, fault(new DeviceFault('UNKNOWN_OP', 'unknown operation')));
      return;
    }
    const parsed = Request.safeParse(body);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'op');
      await this.#reply(frame, epoch, fault(new DeviceFault('BAD_REQUEST', `invalid ${field}`, field)));
      return;
    }
    this.#log('info', 'prov', `request ${frame.id}: ${op}`);
    let answer: Record<string, unknown>;
    try {
      answer = await this.#execute(parsed.data, epoch);
    } catch (error) {
      if (!(error instanceof DeviceFault)) throw error;
      this.#log('warn', 'prov', `${op} refused: ${error.code}`);
      answer = fault(error);
    }
    this.#checkpoint(op, epoch, 'during');
    this.#checkpoint(op, epoch, 'after');
    await this.#reply(frame, epoch, answer);
    if (parsed.data.op === 'reboot') {
      // The reply leaves the UART first, then the unit restarts (§5.11).
      await this.#out?.drained();
      await sleep(parsed.data.delayMs ?? 100);
      if (epoch === this.#epoch) this.reset('requested');
    }
  }

  async #execute(request: Request, epoch: number): Promise<Record<string, unknown>> {
    const table = this.#flash.table;
    switch (request.op) {
      case 'hello': {
        await sleep(2);
        const wrong = this.#faults.wrongClock;
        const now = this.#options.now?.() ?? Date.now();
        return {
          ok: true,
          proto: this.#version,
          model: this.identity.model,
          hwid: this.identity.hwid,
          fw: this.identity.fw,
          caps: CAPS,
          maxPayload: this.#options.maxPayload ?? MAX_PAYLOAD,
          clock: { unix: Math.floor((wrong ? 946684800000 + this.uptimeMs : now) / 1000), valid: !wrong },
          uptimeMs: this.uptimeMs,
          boots: this.#flash.contents.boots,
          slots: slots.slotsOf(table),
        };
      }
      case 'stage': {
        const fp = createHash('sha256').update(fingerprintInput(request.key, request.secret)).digest('hex');
        const slot: StoredSlot = {
          deviceId: request.deviceId,
          key: request.key,
          keyId: request.keyId ?? null,
          secret: request.secret,
          apiUrl: request.apiUrl,
          mqttUrl: request.mqtt?.url ?? null,
          fp,
        };
        await this.#writeTable('stage', slots.stage(table, slot), epoch);
        this.#log('info', 'prov', `staged credentials for device ${slot.deviceId}, fp ${fp.slice(0, 16)}`);
        if (this.#faults.leakSecrets) this.#leak('stage', slot);
        return { ok: true, fp, slots: slots.slotsOf(this.#flash.table) };
      }
      case 'commit':
      case 'confirm':
      case 'rollback':
      case 'discard':
      case 'wipe': {
        if (request.op === 'wipe' && request.hwid !== this.identity.hwid) {
          throw new DeviceFault('HWID_MISMATCH', 'this is not that unit');
        }
        const next = slots[request.op](table);
        if (next !== table) await this.#writeTable(request.op, next, epoch);
        this.#log('info', 'prov', `${request.op}: active ${next.active?.deviceId ?? 'none'}, pending ${next.pending}`);
        return { ok: true, slots: slots.slotsOf(this.#flash.table) };
      }
      case 'test':
        return this.#test(request.slot, request.nonce, epoch);
      case 'identify': {
        const seconds = request.seconds ?? 10;
        this.#identifyUntil = performance.now() + seconds * 1000;
        this.#log('info', 'identify', `blinking the status LED for ${seconds} s`);
        return { ok: true };
      }
      case 'log': {
        if (request.level) this.#level = request.level;
        const lines = this.#ring.slice(-(request.lines ?? 50));
        const limit = MAX_PAYLOAD - 64;
        while (lines.length > 0 && textEncoder.encode(JSON.stringify(lines)).length > limit) lines.shift();
        return { ok: true, level: this.#level, lines };
      }
      case 'reboot':
        this.#log('info', 'app', 'restarting on request');
        return { ok: true };
    }
  }

  async #test(which: 'staged' | 'active', nonce: string, epoch: number): Promise<Record<string, unknown>> {
    const slot = which === 'staged' ? this.#flash.table.staged : this.#flash.table.active;
    if (!slot) throw new DeviceFault(which === 'staged' ? 'NO_STAGED' : 'NO_ACTIVE', `the ${which} slot is empty`);
    let result: { passed: boolean; steps: Array<Record<string, unknown>> };
    if (this.#faults.wrongClock) {
      this.#log('error', 'tls', 'system time is not set; cannot validate certificates');
      result = { passed: false, steps: [{ step: 'auth', status: 0, ms: 0, error: 'CLOCK_INVALID' }] };
    } else if (this.#faults.noNetwork) {
      await sleep(50);
      this.#log('error', 'wifi', 'no AP found; network down');
      result = { passed: false, steps: [{ step: 'auth', status: 0, ms: 50, error: 'NO_NETWORK' }] };
    } else {
      const baseUrl = this.#options.platformOverride ?? slot.apiUrl;
      result = await runPlatformTest({
        slot,
        nonce,
        baseUrl,
        fetch: this.#options.fetch ?? fetch,
        signal: this.#abort.signal,
        timeoutMs: DEVICE_HTTP_TIMEOUT_MS,
      });
      if (epoch !== this.#epoch) throw new Halted();
      for (const step of result.steps) {
        this.#log(
          step['status'] === 200 ? 'info' : 'warn',
          'test',
          `${String(step['step'])}: HTTP ${String(step['status'])}${step['error'] ? ` ${String(step['error'])}` : ''}`,
        );
      }
    }
    return { ok: true, slot: which, ...result };
  }

  /** One atomic flash write, with the faults that can hit it. */
  async #writeTable(op: Operation, table: SlotTable, epoch: number): Promise<void> {
    const half = (this.#options.flashWriteMs ?? 30) / 2;
    await sleep(half);
    this.#checkpoint(op, epoch, 'during');
    if (includes(this.#faults.flashFail, op)) {
      await sleep(half);
      this.#log('error', 'nvs', `flash write failed (sector erase timeout) during ${op}`);
      throw new DeviceFault('FLASH_WRITE_FAILED', 'flash write failed');
    }
    await this.#flash.writeTable(table);
    await sleep(half);
    if (epoch !== this.#epoch) throw new Halted();
  }

  /** Where the reboot faults strike: `during` before effects land, `after` before the reply. */
  #checkpoint(op: Operation, epoch: number, when: 'during' | 'after'): void {
    if (epoch !== this.#epoch) throw new Halted();
    const key = when === 'during' ? 'rebootDuring' : 'rebootAfter';
    if (!includes(this.#faults[key], op)) return;
    // These faults are events: they fire once, then clear.
    this.#faults = { ...this.#faults, [key]: new Set<Operation>() };
    this.#log('error', 'esp', `Guru Meditation Error: Core 0 panic'ed (${when} ${op})`);
    this.reset('watchdog');
    throw new Halted();
  }

  async #reply(request: Frame, epoch: number, body: Record<string, unknown>): Promise<void> {
    if (this.#faults.slowMs > 0) await sleep(this.#faults.slowMs);
    if (epoch !== this.#epoch) throw new Halted();
    const bytes = this.#send(FrameType.reply, request.id, body);
    this.#last = { id: request.id, crc: frameCrc(request), reply: bytes };
  }

  #send(type: FrameType, id: number, body: Record<string, unknown>): Uint8Array {
    const bytes = encodeFrame({ version: this.#version, type, id, payload: encodeJsonPayload(body) });
    this.#sendBytes(bytes);
    return bytes;
  }

  /** Puts a frame on the wire, where the corruption and loss faults act. */
  #sendBytes(clean: Uint8Array): void {
    let bytes = clean;
    if (this.#faults.corrupt > 0 && this.#random() < this.#faults.corrupt) {
      bytes = Uint8Array.from(clean);
      // Flip a bit past the magic, so the receiver sees a damaged frame rather than text.
      const at = 2 + Math.floor(this.#random() * (bytes.length - 2));
      bytes[at] = bytes[at]! ^ (1 << Math.floor(this.#random() * 8));
    }
    if (this.#faults.drop > 0 && this.#random() < this.#faults.drop) {
      const count = 1 + Math.floor(this.#random() * 8);
      const at = 10 + Math.floor(this.#random() * Math.max(1, bytes.length - 10 - count));
      bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + count)]);
    }
    this.#out?.write(bytes, { whole: true });
  }

  #leak(when: string, slot: StoredSlot): void {
    const secret = Buffer.from(slot.secret, 'utf8');
    // The bug this fault stands for: debug prints of the credential struct, in several encodings.
    this.#print(`D (${this.uptimeMs}) prov: ${when} creds key=${slot.key} secret=${slot.secret}`);
    this.#print(`D (${this.uptimeMs}) prov: secret hex ${secret.toString('hex')}`);
    this.#print(`D (${this.uptimeMs}) prov: secret b64 ${secret.toString('base64')}`);
  }

  #log(level: LogLevel, tag: string, text: string): void {
    const line = `${level[0]!.toUpperCase()} (${this.uptimeMs}) ${tag}: ${text}`;
    if (LEVELS.indexOf(level) <= LEVELS.indexOf(this.#level)) this.#print(line);
    else this.#remember(line);
  }

  #print(line: string): void {
    this.#remember(line);
    this.#out?.write(textEncoder.encode(`${line}\r\n`));
  }

  #remember(line: string): void {
    this.#ring.push(line);
    if (this.#ring.length > RING_LINES) this.#ring.shift();
    this.#options.onLine?.(line);
  }

  #startChatter(epoch: number): void {
    const mean = this.#options.chatterMs ?? 5000;
    if (mean <= 0) return;
    const next = () => {
      this.#chatter = setTimeout(
        () => {
          if (epoch !== this.#epoch) return;
          this.#print(chatterLine(this.uptimeMs, this.#random));
          next();
        },
        mean * (0.5 + this.#random()),
      );
      this.#chatter.unref();
    };
    next();
  }
}

function fault(error: DeviceFault): Record<string, unknown> {
  return {
    ok: false,
    error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
  };
}

/** The CRC field of a received frame identifies it for duplicate detection (§3). */
function frameCrc(frame: Frame): number {
  return encodeFrameCrc(frame);
}

function encodeFrameCrc(frame: Frame): number {
  const bytes = encodeFrame(frame);
  const at = bytes.length - 4;
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
