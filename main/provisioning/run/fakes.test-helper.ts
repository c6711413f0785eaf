/**
 * In-memory fakes of the pipeline's ports, for the state machine's unit tests only. The real
 * parts (serial client, device simulator, platform simulator) are exercised in test/integration.
 */
import { randomBytes } from 'node:crypto';
import { KeylineError } from '../../../common/errors';
import { DEFAULT_PROVISIONING_SETTINGS, type ProvisioningSettings } from '../../../common/contract/provisioning';
import { credentialFingerprint, fingerprintPrefix } from '../fingerprint';
import { KeyedSerializer } from '../keyed-serializer';
import type {
  DeviceConnector,
  DeviceHello,
  DeviceLink,
  JournalPort,
  MintedKey,
  PlatformDevice,
  PlatformKey,
  PlatformPort,
  ReconcileRecord,
  UnfinishedRun,
  RunIntent,
  RunRecord,
  SlotInfo,
  Tag,
} from '../ports';
import type { RunDeps, RunInput, RunProgress } from './context';

const hex24 = () => randomBytes(12).toString('hex');

type Fault = () => Error | undefined;

export class FakePlatform implements PlatformPort {
  readonly apiUrl = 'http://platform.invalid';
  readonly devices = new Map<string, PlatformDevice>();
  readonly keys = new Map<string, PlatformKey & { secret: string }>();
  readonly state = new Map<string, Record<string, { value: unknown; time: number }>>();
  /** Per method: a function answering an error to throw before (or, for `lostAfter`, after) acting. */
  readonly faults: Partial<Record<keyof PlatformPort, Fault>> = {};
  readonly lostAfter: Partial<Record<keyof PlatformPort, Fault>> = {};
  calls: string[] = [];
  canPatchDevices = true;
  /** Overrides what createKey answers (a platform that ignores deviceIds). */
  keyAnswer?: (key: MintedKey) => MintedKey;

  #before(method: keyof PlatformPort): void {
    this.calls.push(method);
    const error = this.faults[method]?.();
    if (error) throw error;
  }
  #after(method: keyof PlatformPort): void {
    const error = this.lostAfter[method]?.();
    if (error) throw error;
  }

  addDevice(partial: Partial<PlatformDevice> & { hwid?: string } = {}): PlatformDevice {
    const device: PlatformDevice = {
      id: partial.id ?? hex24(),
      name: partial.name ?? 'pre-registered',
      deviceClass: partial.deviceClass ?? 'standalone',
      tags: partial.tags ?? (partial.hwid ? [{ key: 'hwid', value: partial.hwid }] : []),
      attributes: partial.attributes ?? [],
    };
    this.devices.set(device.id, device);
    return device;
  }

  addKey(partial: Partial<PlatformKey> = {}): PlatformKey & { secret: string } {
    const key = {
      id: hex24(),
      key: randomBytes(8).toString('hex'),
      secret: randomBytes(16).toString('hex'),
      status: 'active' as const,
      ...partial,
    };
    this.keys.set(key.id, key);
    return key;
  }

  activeKeyline(): string[] {
    return [...this.keys.values()]
      .filter((k) => k.status === 'active' && k.name?.startsWith('keyline-'))
      .map((k) => k.id);
  }

  async findDevicesByTag(_appId: string, tag: Tag) {
    this.#before('findDevicesByTag');
    return [...this.devices.values()].filter((d) => d.tags.some((t) => t.key === tag.key && t.value === tag.value));
  }
  async createDevice(_appId: string, body: Parameters<PlatformPort['createDevice']>[1]) {
    this.#before('createDevice');
    const device = this.addDevice({ ...body });
    this.#after('createDevice');
    return device;
  }
  async getDevice(_appId: string, id: string) {
    this.#before('getDevice');
    const device = this.devices.get(id);
    if (!device) throw new KeylineError('PLATFORM_NOT_FOUND', 'Device was not found');
    return device;
  }
  async setDeviceAttributes(_appId: string, id: string, attributes: PlatformDevice['attributes']) {
    this.#before('setDeviceAttributes');
    if (!this.canPatchDevices) throw new KeylineError('PLATFORM_FORBIDDEN', 'not allowed');
    const device = this.devices.get(id)!;
    device.attributes = attributes;
    return device;
  }
  async createKey(_appId: string, body: { name: string; description: string; deviceIds: string[] }) {
    this.#before('createKey');
    const key = this.addKey({ name: body.name, deviceIds: body.deviceIds });
    this.#after('createKey');
    const answer = { ...key };
    return this.keyAnswer ? this.keyAnswer(answer) : answer;
  }
  async findKeysByName(_appId: string, name: string) {
    this.#before('findKeysByName');
    return [...this.keys.values()].filter((k) => k.name === name).map(({ secret: _s, ...k }) => k);
  }
  async findKeysByAccessKey(_appId: string, accessKey: string) {
    this.#before('findKeysByAccessKey');
    return [...this.keys.values()].filter((k) => k.key === accessKey).map(({ secret: _s, ...k }) => k);
  }
  async getKey(_appId: string, id: string) {
    this.#before('getKey');
    const key = this.keys.get(id);
    if (!key) throw new KeylineError('PLATFORM_NOT_FOUND', 'Key was not found');
    return key;
  }
  async setKeyStatus(_appId: string, id: string, status: 'active' | 'inactive') {
    this.#before('setKeyStatus');
    const key = this.keys.get(id);
    if (!key) throw new KeylineError('PLATFORM_NOT_FOUND', 'Key was not found');
    key.status = status;
  }
  async deleteKey(_appId: string, id: string) {
    this.#before('deleteKey');
    if (!this.keys.delete(id)) throw new KeylineError('PLATFORM_NOT_FOUND', 'Key was not found');
  }
  async compositeState(_appId: string, deviceId: string) {
    this.#before('compositeState');
    return this.state.get(deviceId) ?? {};
  }
  /** What the platform does for a device's or the station's `/auth/device`. */
  auth(credentials: { deviceId: string; key: string; secret: string }): boolean {
    const key = [...this.keys.values()].find((k) => k.key === credentials.key);
    const device = this.devices.get(credentials.deviceId);
    if (!key || !device || key.secret !== credentials.secret || key.status !== 'active') return false;
    if (key.deviceIds && key.deviceIds.length > 0 && !key.deviceIds.includes(device.id)) return false;
    return ['standalone', 'gateway', 'edgeCompute'].includes(device.deviceClass);
  }
  async authenticateDevice(credentials: { deviceId: string; key: string; secret: string }) {
    this.#before('authenticateDevice');
    if (!this.auth(credentials)) throw new KeylineError('PLATFORM_UNAUTHORIZED', 'Unauthorized');
    return { deviceId: credentials.deviceId };
  }
  report(deviceId: string, data: Record<string, unknown>): void {
    const device = this.devices.get(deviceId)!;
    const current = this.state.get(deviceId) ?? {};
    for (const [name, value] of Object.entries(data)) {
      if (device.attributes.some((a) => a.name === name)) current[name] = { value, time: Date.now() };
    }
    this.state.set(deviceId, current);
  }
}

interface Slot extends SlotInfo {
  secret: string;
}

export type DeviceOp = 'hello' | 'stage' | 'test' | 'commit' | 'confirm' | 'rollback' | 'discard';

/** A device firmware model in memory: slots, and faults per operation. */
export class FakeDevice {
  slots: { active?: Slot; staged?: Slot; previous?: Slot } = {};
  readonly faults: Partial<Record<DeviceOp, Fault>> = {};
  /** Act, then lose the reply. */
  readonly lostAfter: Partial<Record<DeviceOp, Fault>> = {};
  network = true;
  /** What the device tests with (a buggy firmware might test the active slot). */
  testSlot: 'staged' | 'active' | undefined;
  unplugged = false;
  corruptStage = false;
  ops: DeviceOp[] = [];

  constructor(
    readonly platform: FakePlatform,
    readonly hwid = `HW-${randomBytes(4).toString('hex')}`,
    readonly model = 'CS-100',
  ) {}

  #before(op: DeviceOp): void {
    this.ops.push(op);
    if (this.unplugged) throw new KeylineError('SERIAL_PORT_CLOSED', 'The device was unplugged');
    const error = this.faults[op]?.();
    if (error) throw error;
  }
  #after(op: DeviceOp): void {
    const error = this.lostAfter[op]?.();
    if (error) throw error;
  }
  #info(slot: Slot | undefined): SlotInfo | undefined {
    return slot
      ? { deviceId: slot.deviceId, accessKey: slot.accessKey, fingerprintPrefix: slot.fingerprintPrefix }
      : undefined;
  }

  link(path: string): DeviceLink {
    return {
      path,
      hello: async (): Promise<DeviceHello> => {
        this.#before('hello');
        const { active, staged, previous } = this.slots;
        return {
          protocolVersion: 1,
          model: this.model,
          hwid: this.hwid,
          firmware: '1.2.3',
          capabilities: ['test'],
          slots: {
            ...(active ? { active: this.#info(active) } : {}),
            ...(staged ? { staged: this.#info(staged) } : {}),
            ...(previous ? { previous: this.#info(previous) } : {}),
          },
        };
      },
      stage: async (request) => {
        this.#before('stage');
        const secret = this.corruptStage ? `${request.secret}x` : request.secret;
        const fingerprint = credentialFingerprint(request.accessKey, secret);
        this.slots.staged = {
          deviceId: request.deviceId,
          accessKey: request.accessKey,
          secret,
          fingerprintPrefix: fingerprintPrefix(fingerprint),
        };
        this.#after('stage');
        return { fingerprint };
      },
      test: async (request) => {
        this.#before('test');
        const slot = this.slots[this.testSlot ?? request.slot];
        if (!slot) return { ok: false, failure: 'other' };
        if (!this.network) return { ok: false, failure: 'network' };
        const allowed = this.platform.auth({ deviceId: slot.deviceId, key: slot.accessKey, secret: slot.secret });
        if (!allowed) return { ok: false, failure: 'auth', authStatus: 401 };
        this.platform.report(slot.deviceId, { keylineNonce: request.nonce });
        this.#after('test');
        return { ok: true, authStatus: 200, reportStatus: 200 };
      },
      commit: async () => {
        this.#before('commit');
        if (!this.slots.staged) throw new KeylineError('SERIAL_DEVICE_ERROR', 'nothing staged');
        this.slots = { active: this.slots.staged, previous: this.slots.active };
        this.#after('commit');
      },
      confirm: async () => {
        this.#before('confirm');
        delete this.slots.previous;
        this.#after('confirm');
      },
      rollback: async () => {
        this.#before('rollback');
        if (this.slots.previous) this.slots = { active: this.slots.previous };
        else if (this.slots.active) this.slots = {};
      },
      discard: async () => {
        this.#before('discard');
        delete this.slots.staged;
      },
      identify: async () => undefined,
      close: async () => undefined,
    };
  }

  /** Gives the device credentials of a key, as if an earlier run had committed them. */
  provision(deviceId: string, key: { key: string; secret: string }): void {
    this.slots.active = {
      deviceId,
      accessKey: key.key,
      secret: key.secret,
      fingerprintPrefix: fingerprintPrefix(credentialFingerprint(key.key, key.secret)),
    };
  }
}

export class FakeBench implements DeviceConnector {
  readonly devices = new Map<string, FakeDevice>();
  async open(path: string): Promise<DeviceLink> {
    const device = this.devices.get(path);
    if (!device || device.unplugged) throw new KeylineError('SERIAL_PORT_NOT_FOUND', `No device on ${path}`);
    return device.link(path);
  }
}

export class FakeJournal implements JournalPort {
  intents: RunIntent[] = [];
  outcomes: RunRecord[] = [];
  reconciles: ReconcileRecord[] = [];
  commitsStarted = new Set<string>();
  failOutcome = false;
  async appendIntent(intent: RunIntent) {
    this.intents.push(intent);
  }
  async appendOutcome(record: RunRecord) {
    if (this.failOutcome) throw new KeylineError('STORAGE_WRITE_FAILED', 'disk gone');
    this.outcomes.push(record);
  }
  async appendReconcile(record: ReconcileRecord) {
    this.reconciles.push(record);
  }
  /** Runs left unresolved, until a reconcile record with an outcome settles them. */
  unresolved: UnfinishedRun[] = [];
  async unresolvedRuns() {
    const settled = new Set(this.reconciles.filter((r) => r.outcome && r.outcome !== 'unresolved').map((r) => r.runId));
    return this.unresolved.filter((run) => !settled.has(run.intent.runId));
  }
  async appendCommitStarted(runId: string) {
    this.commitsStarted.add(runId);
  }
  async unfinishedIntents() {
    const done = new Set([
      ...this.outcomes.map((o) => o.runId),
      ...this.reconciles.filter((r) => r.outcome).map((r) => r.runId),
    ]);
    return this.intents
      .filter((i) => !done.has(i.runId))
      .map((intent) => ({ intent, commitSent: this.commitsStarted.has(intent.runId) }));
  }
}

export const APP_ID = 'a'.repeat(24);

export function settings(overrides: Partial<ProvisioningSettings> = {}) {
  return { ...DEFAULT_PROVISIONING_SETTINGS, ifProvisioned: 'rotate' as const, applicationId: APP_ID, ...overrides };
}

export interface Harness {
  platform: FakePlatform;
  bench: FakeBench;
  journal: FakeJournal;
  secrets: string[];
  deps: RunDeps;
  progress: RunProgress[];
  input(path: string, overrides?: Partial<RunInput>): RunInput;
}

export function harness(): Harness {
  const platform = new FakePlatform();
  const bench = new FakeBench();
  const journal = new FakeJournal();
  const secrets: string[] = [];
  const progress: RunProgress[] = [];
  let counter = 0;
  const deps: RunDeps = {
    connector: bench,
    platform,
    journal,
    clock: { now: () => new Date(), monotonic: () => performance.now() },
    secrets: (secret) => {
      secrets.push(secret);
      return () => undefined;
    },
    hwidLocks: new KeyedSerializer(),
    station: 'bench-1',
    operator: 'tech@example.com',
    helloGraceMs: 300,
    nonceWaitMs: 500,
  };
  return {
    platform,
    bench,
    journal,
    secrets,
    deps,
    progress,
    input: (path, overrides = {}) => ({
      runId: `run-${(counter += 1)}`,
      laneId: path,
      portPath: () => path,
      settings: settings(),
      signal: new AbortController().signal,
      ask: () => Promise.resolve('rotate'),
      onProgress: (p) => progress.push(p),
      ...overrides,
    }),
  };
}
