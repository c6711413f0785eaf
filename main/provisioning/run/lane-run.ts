import { STEP_NAMES, type RunOutcome, type StepName } from '../../../common/contract/provisioning';
import { describeError } from '../errors';
import { fingerprintPrefix } from '../fingerprint';
import type { RunRecord } from '../ports';
import { newTimeBuckets, timed } from '../timing';
import { cleanUpAfterFailure } from './cleanup';
import { commit } from './commit';
import {
  note,
  runStep,
  skipRemaining,
  SkippedRun,
  UnresolvedRun,
  type RunContext,
  type RunDeps,
  type RunInput,
  type RunState,
} from './context';
import { decide } from './decide';
import { explainDeviceRefusal, type DeviceRefusal } from './device-errors';
import { credentialFate } from './fate';
import { identify } from './identify';
import { mint } from './mint';
import { resolve } from './resolve';
import { stage } from './stage';
import { verify } from './verify';

export interface RunResult {
  outcome: RunOutcome;
  error?: { code: string; message: string };
  record: RunRecord;
  /** False when the record could not be written or the new key not revoked: reconciliation finishes it. */
  journaled: boolean;
}

function failedStep(state: RunState): StepName | undefined {
  return state.steps.findLast((step) => step.status === 'failed')?.name as StepName | undefined;
}

/** Codes whose message already says what became of the key. */
const FATE_SAID = new Set(['KEY_CREATE_UNKNOWN', 'KEY_NOT_RESTRICTED']);

/** The lane's error with what became of the device and its credentials (DeviceRefusal: between what happened and the advice). */
function withFate(
  error: { code: string; message: string },
  refusal: DeviceRefusal | undefined,
  fate: string | undefined,
): { code: string; message: string } {
  if (!fate || FATE_SAID.has(error.code)) return error;
  if (refusal) return { code: error.code, message: `${refusal.happened}. ${fate} ${refusal.advice}.` };
  return { code: error.code, message: `${error.message.replace(/\.$/, '')}. ${fate}` };
}

function dropSecret(state: RunState): void {
  state.secret = undefined;
}

function buildRecord(
  ctx: RunContext,
  outcome: RunOutcome,
  error: { code: string; message: string } | undefined,
  newKey: RunRecord['newKey'],
): RunRecord {
  const { state, input, deps } = ctx;
  const totalMs = deps.clock.monotonic() - state.startedMono;
  const { deviceMs, platformMs } = state.buckets;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    runId: input.runId,
    time: deps.clock.now().toISOString(),
    startedAt: state.startedAt.toISOString(),
    station: deps.station,
    operator: deps.operator,
    applicationId: ctx.appId,
    port: input.portPath(),
    ...(state.hello ? { hwid: state.hello.hwid, model: state.hello.model, firmware: state.hello.firmware } : {}),
    ...(state.device ? { deviceId: state.device.id } : {}),
    ...(state.key ? { keyId: state.key.id } : {}),
    ...(state.keyName ? { keyName: state.keyName } : {}),
    ...(state.fingerprint ? { fingerprintPrefix: fingerprintPrefix(state.fingerprint) } : {}),
    outcome,
    ...(error ? { error } : {}),
    verifyMode: input.settings.verifyMode,
    ...(state.devicePathProven !== undefined ? { devicePathProven: state.devicePathProven } : {}),
    ...(state.rotation
      ? {
          rotation: {
            ...(state.rotation.oldKey ? { oldKeyId: state.rotation.oldKey.id } : {}),
            oldKey: state.oldKeyFate ?? (state.rotation.oldKey ? 'kept' : 'not-found'),
          },
        }
      : {}),
    newKey: newKey ?? (state.key ? 'kept' : 'none'),
    steps: [...state.steps],
    timing: {
      totalMs: round(totalMs),
      deviceMs: round(deviceMs),
      platformMs: round(platformMs),
      stationMs: round(Math.max(0, totalMs - deviceMs - platformMs - state.waitMs)),
    },
    notes: [...state.notes],
  };
}

/**
 * One run on one lane: identify → resolve → mint → stage → verify → commit → record, each step
 * timed and bounded, every failure cleaned up per DESIGN.md §2, and one journal record at the end.
 * Never throws: the outcome is the answer.
 */
export async function runLane(deps: RunDeps, input: RunInput): Promise<RunResult> {
  const state: RunState = {
    startedAt: deps.clock.now(),
    startedMono: deps.clock.monotonic(),
    steps: [],
    phase: 'before-mint',
    intentWritten: false,
    notes: [],
    stepDetail: {},
    buckets: newTimeBuckets(),
    waitMs: 0,
  };
  const ctx: RunContext = {
    deps,
    input,
    state,
    platform: timed(deps.platform, state.buckets, 'platformMs', deps.clock.monotonic),
    appId: input.settings.applicationId,
  };
  let outcome: RunOutcome = 'passed';
  let error: { code: string; message: string } | undefined;
  let newKey: RunRecord['newKey'];
  let pendingReconcile = false;
  try {
    const hello = await runStep(ctx, 'identify', (signal) => identify(ctx, signal));
    const device = await runStep(ctx, 'resolve', (signal) => resolve(ctx, hello, signal));
    const waitStarted = deps.clock.monotonic();
    await decide(ctx, hello, device);
    state.waitMs += deps.clock.monotonic() - waitStarted;
    await runStep(ctx, 'mint', (signal) => mint(ctx, device, signal));
    await runStep(ctx, 'stage', (signal) => stage(ctx, signal));
    await runStep(ctx, 'verify', (signal) => verify(ctx, signal));
    dropSecret(state);
    await runStep(ctx, 'commit', (signal) => commit(ctx, signal));
  } catch (failure) {
    dropSecret(state);
    skipRemaining(ctx, STEP_NAMES);
    if (failure instanceof SkippedRun) {
      outcome = 'skipped';
      error = failure.reason;
    } else if (failure instanceof UnresolvedRun) {
      outcome = 'unresolved';
      error = failure.reason;
      newKey = 'kept';
    } else {
      const phaseAtFailure = state.phase;
      const refusal = explainDeviceRefusal(failedStep(state), failure);
      error = describeError(refusal ?? failure);
      try {
        const cleanUp = await cleanUpAfterFailure(ctx);
        outcome = cleanUp.outcome;
        newKey = cleanUp.newKey;
        pendingReconcile = cleanUp.pendingReconcile;
        error = withFate(
          error,
          refusal,
          phaseAtFailure === 'before-mint' && !refusal ? undefined : credentialFate(ctx, phaseAtFailure, cleanUp),
        );
      } catch {
        // Clean-up itself broke: whatever may exist stays for reconciliation (the intent is open).
        outcome = 'failed';
        pendingReconcile = state.intentWritten;
        note(ctx, 'The clean-up after this failure did not finish; Keyline settles this run at its next start.');
      }
    }
  } finally {
    await state.link?.close().catch(() => undefined);
    state.link = undefined;
  }
  const record = buildRecord(ctx, outcome, error, newKey);
  let journaled = false;
  if (!pendingReconcile) {
    try {
      await runStep(ctx, 'record', () => deps.journal.appendOutcome(record));
      journaled = true;
    } catch (failure) {
      const cause = describeError(failure);
      error ??= {
        code: 'JOURNAL_FAILED',
        message: `The run ${outcome} but its record could not be written (${cause.code}): check the disk; Keyline settles it at its next start`,
      };
      if (outcome === 'passed') outcome = 'failed';
    }
  } else {
    ctx.input.onProgress({ type: 'step', step: 'record', status: 'skipped' });
  }
  state.releaseSecret?.();
  return { outcome, ...(error ? { error } : {}), record, journaled };
}
