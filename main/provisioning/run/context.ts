import type { Answer, ProvisioningSettings, Question, StepName } from '../../../common/contract/provisioning';
import { ProvisioningError } from '../errors';
import type { KeyedSerializer } from '../keyed-serializer';
import type {
  Clock,
  DeviceConnector,
  DeviceHello,
  DeviceLink,
  JournalPort,
  PlatformDevice,
  PlatformKey,
  PlatformPort,
  RunRecord,
  SecretRegistry,
  StepRecord,
} from '../ports';
import type { TimeBuckets } from '../timing';
import { sleep } from './wait';

/** Default time limit of each step. Device operations have their own, shorter, limits inside. */
export const DEFAULT_STEP_TIMEOUTS: Record<StepName, number> = {
  identify: 10_000,
  resolve: 30_000,
  mint: 30_000,
  stage: 15_000,
  verify: 60_000,
  commit: 30_000,
  record: 15_000,
};

/** What a technician is told to do when a step runs out of time. */
const TIMEOUT_ADVICE: Record<StepName, string> = {
  identify: 'check that the device is powered, the cable is data-capable and the port is the right one',
  resolve: 'the platform answers slowly: check the network and retry',
  mint: 'the platform answers slowly: check the network and retry',
  stage: 'the device stopped answering: check the cable and power, then retry',
  verify: 'the device or the platform is slow: check the device network and retry',
  commit: 'the device stopped answering: check the cable and power, then retry',
  record: 'the journal could not be written in time: check the disk',
};

export function stepTimeoutError(step: StepName, ms: number): ProvisioningError {
  return new ProvisioningError(
    'STEP_TIMEOUT',
    `Step "${step}" took longer than ${Math.round(ms / 1000)} s: ${TIMEOUT_ADVICE[step]}`,
  );
}

/** Everything a run needs from the station, passed in. */
export interface RunDeps {
  connector: DeviceConnector;
  platform: PlatformPort;
  journal: JournalPort;
  clock: Clock;
  secrets: SecretRegistry;
  hwidLocks: KeyedSerializer;
  station: string;
  operator: string;
  timeouts?: Partial<Record<StepName, number>>;
  /** How long `hello` keeps trying after a lost reply (the device may be rebooting). */
  helloGraceMs?: number;
  /** How long Keyline looks for the nonce on the platform after the device reported it. */
  nonceWaitMs?: number;
  /** Waits before a retry (Retry-After, backoff); tests pass one that records instead of waiting. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export type RunProgress =
  | { type: 'step'; step: StepName; status: 'running' | 'passed' | 'failed' | 'skipped'; ms?: number }
  | {
      type: 'info';
      hwid?: string;
      model?: string;
      firmware?: string;
      deviceId?: string;
      deviceName?: string;
      keyId?: string;
      fingerprintPrefix?: string;
      rotation?: boolean;
    }
  | { type: 'question'; question: Question | undefined }
  | { type: 'note'; note: string };

export interface RunInput {
  runId: string;
  laneId: string;
  /** The lane's current port path (it may change when a device re-enumerates after a reboot). */
  portPath: () => string;
  settings: ProvisioningSettings & { applicationId: string };
  signal: AbortSignal;
  /** Asks a person; the CLI answers from a prompt or refuses, the window from a dialog. */
  ask: (question: Question, signal: AbortSignal) => Promise<Answer>;
  onProgress: (progress: RunProgress) => void;
  /** When the lane already knows its device, a different hwid on the port fails the run. */
  expectedHwid?: string;
}

/**
 * How far a run got, which decides the clean-up after a failure (DESIGN.md §2): before the key
 * exists nothing is left behind; once it exists it is revoked; once `commit` was sent, the
 * device's own `hello` decides.
 */
export type RunPhase = 'before-mint' | 'mint-unknown' | 'minted' | 'staged' | 'committing' | 'committed' | 'confirmed';

export interface RunState {
  startedAt: Date;
  startedMono: number;
  steps: StepRecord[];
  phase: RunPhase;
  link?: DeviceLink;
  hello?: DeviceHello;
  device?: PlatformDevice;
  keyName?: string;
  key?: PlatformKey;
  /** Held only between mint and verify; dropped as soon as it is no longer needed. */
  secret?: string;
  releaseSecret?: () => void;
  fingerprint?: string;
  intentWritten: boolean;
  rotation?: { accessKey: string; oldKey?: PlatformKey; exclusive: boolean };
  devicePathProven?: boolean;
  newKey?: RunRecord['newKey'];
  oldKeyFate?: NonNullable<RunRecord['rotation']>['oldKey'];
  notes: string[];
  /** Flat facts about a step (a retry and its cause), kept with the step in the journal record. */
  stepDetail: Partial<Record<StepName, StepDetail>>;
  buckets: TimeBuckets;
  /** Time spent waiting for a person's answer: neither station, device nor platform time. */
  waitMs: number;
}

export type StepDetail = Record<string, string | number | boolean>;

export interface RunContext {
  deps: RunDeps;
  input: RunInput;
  state: RunState;
  /** The platform port, timed into the platform bucket. */
  platform: PlatformPort;
  appId: string;
}

/** The run outcome for a device that may run on the new key but cannot be asked: a person settles it. */
export class UnresolvedRun extends Error {
  constructor(readonly reason: { code: string; message: string }) {
    super(reason.message);
    this.name = 'UnresolvedRun';
  }
}

/** The outcome for a run the technician (or the policy) chose to skip. */
export class SkippedRun extends Error {
  constructor(readonly reason: { code: string; message: string }) {
    super(reason.message);
    this.name = 'SkippedRun';
  }
}

/** A signal for one step: the run's own (stop) plus the step's time limit. */
export function stepSignal(ctx: RunContext, step: StepName): { signal: AbortSignal; timeoutMs: number } {
  const timeoutMs = ctx.deps.timeouts?.[step] ?? DEFAULT_STEP_TIMEOUTS[step];
  return { signal: AbortSignal.any([ctx.input.signal, AbortSignal.timeout(timeoutMs)]), timeoutMs };
}

/**
 * Runs one step: announces it, bounds it by its timeout, records its timing. A timeout becomes
 * STEP_TIMEOUT with advice; a stop becomes RUN_STOPPED.
 */
export async function runStep<T>(
  ctx: RunContext,
  step: StepName,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { signal, timeoutMs } = stepSignal(ctx, step);
  const started = ctx.deps.clock.monotonic();
  ctx.input.onProgress({ type: 'step', step, status: 'running' });
  const finish = (status: 'passed' | 'failed') => {
    const ms = Math.max(0, ctx.deps.clock.monotonic() - started);
    const detail = ctx.state.stepDetail[step];
    ctx.state.steps.push({
      name: step,
      status,
      ms: Math.round(ms * 10) / 10,
      ...(detail ? { detail: { ...detail } } : {}),
    });
    ctx.input.onProgress({ type: 'step', step, status, ms });
  };
  try {
    // Ports honour the signal; the work is awaited to its end (never raced) so that a clean-up
    // inside a step (hello after a lost reply) cannot overlap the run's own clean-up.
    const value = await work(signal);
    finish('passed');
    return value;
  } catch (error) {
    finish('failed');
    const aborted = error === signal.reason || isAbortLike(error);
    if (aborted && ctx.input.signal.aborted) {
      throw new ProvisioningError('RUN_STOPPED', 'The run was stopped by the technician', { cause: error });
    }
    if (aborted && signal.aborted) {
      const timeout = stepTimeoutError(step, timeoutMs);
      timeout.cause = error;
      throw timeout;
    }
    throw error;
  }
}

function isAbortLike(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** Rejects as soon as the signal aborts, even if the work ignores it. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** Marks the remaining steps as skipped (after a skip or a failure), for the lane view and the record. */
export function skipRemaining(ctx: RunContext, all: readonly StepName[]): void {
  const done = new Set(ctx.state.steps.map((s) => s.name));
  for (const step of all) {
    if (done.has(step) || step === 'record') continue;
    ctx.state.steps.push({ name: step, status: 'skipped', ms: 0 });
    ctx.input.onProgress({ type: 'step', step, status: 'skipped' });
  }
}

/** Adds facts to the running step's journal detail. */
export function stepDetail(ctx: RunContext, step: StepName, detail: StepDetail): void {
  ctx.state.stepDetail[step] = { ...ctx.state.stepDetail[step], ...detail };
}

/** Waits through the run's own sleep (tests inject one), or a real timer. */
export function backoff(ctx: RunContext, ms: number, signal: AbortSignal): Promise<void> {
  return (ctx.deps.sleep ?? sleep)(ms, signal);
}

export function note(ctx: RunContext, text: string): void {
  ctx.state.notes.push(text);
  ctx.input.onProgress({ type: 'note', note: text });
}
