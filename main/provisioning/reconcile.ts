import { describeError } from './errors';
import { isNotFound } from './platform-errors';
import type {
  DeviceConnector,
  DeviceHello,
  DeviceLink,
  JournalPort,
  PlatformKey,
  PlatformPort,
  ReconcileRecord,
  RunRecord,
  SlotInfo,
  UnfinishedRun,
} from './ports';

export interface ReconcileDeps {
  connector: DeviceConnector;
  platform: PlatformPort;
  journal: JournalPort;
  station: string;
  operator: string;
  retireOldKey: 'deactivate' | 'delete';
  /** Where the device of an intent may be now (its port, or where its hwid was seen since). */
  portsFor?: (intent: UnfinishedRun['intent']) => string[];
  /** How long to keep trying `hello` per port. */
  helloGraceMs?: number;
  /** Records of runs this process ended without journaling (kept in memory), to carry their error. */
  known?: ReadonlyMap<string, RunRecord>;
}

export interface ReconcileSummary {
  runId: string;
  action: ReconcileRecord['action'];
  outcome?: ReconcileRecord['outcome'];
  reason: string;
}

const cleanupSignal = () => AbortSignal.timeout(30_000);

async function askDevice(deps: ReconcileDeps, path: string, hwid: string): Promise<DeviceHello | undefined> {
  const deadline = performance.now() + (deps.helloGraceMs ?? 5000);
  while (performance.now() < deadline) {
    let link: DeviceLink | undefined;
    try {
      link = await deps.connector.open(path, AbortSignal.timeout(3000));
      const hello = await link.hello(AbortSignal.timeout(3000));
      return hello.hwid === hwid ? hello : undefined;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await link?.close().catch(() => undefined);
    }
  }
  return undefined;
}

function holds(slot: SlotInfo | undefined, key: PlatformKey): boolean {
  return slot !== undefined && slot.accessKey === key.key;
}

async function revoke(deps: ReconcileDeps, appId: string, key: PlatformKey): Promise<boolean> {
  try {
    await deps.platform.deleteKey(appId, key.id, cleanupSignal());
    return true;
  } catch (error) {
    if (isNotFound(error)) return true;
    try {
      await deps.platform.setKeyStatus(appId, key.id, 'inactive', cleanupSignal());
      return true;
    } catch {
      return false;
    }
  }
}

/** A device that runs on the run's key: confirm the commit it made, retire the old key by the rules. */
async function keep(deps: ReconcileDeps, run: UnfinishedRun, path: string, key: PlatformKey, hello: DeviceHello) {
  const notes: string[] = [];
  if (hello.slots.pending || hello.slots.previous) {
    let link: DeviceLink | undefined;
    try {
      link = await deps.connector.open(path, AbortSignal.timeout(3000));
      await link.confirm(AbortSignal.timeout(5000));
      notes.push('commit confirmed');
    } catch {
      notes.push('confirm failed: the device keeps its previous credentials as a fallback');
    } finally {
      await link?.close().catch(() => undefined);
    }
  }
  const { oldKeyId, oldKeyExclusive, applicationId } = run.intent;
  if (oldKeyId && oldKeyId !== key.id) {
    if (!oldKeyExclusive) notes.push(`old key ${oldKeyId} is shared: left active`);
    else {
      try {
        if (deps.retireOldKey === 'delete') await deps.platform.deleteKey(applicationId, oldKeyId, cleanupSignal());
        else await deps.platform.setKeyStatus(applicationId, oldKeyId, 'inactive', cleanupSignal());
        notes.push(`old key ${oldKeyId} ${deps.retireOldKey === 'delete' ? 'deleted' : 'deactivated'}`);
      } catch (error) {
        notes.push(`old key ${oldKeyId} could not be retired (${describeError(error).code}): retire it by hand`);
      }
    }
  }
  return notes;
}

/**
 * Settles one run a crash (or a platform outage) left with an intent and no outcome: its key, found
 * by the run's name, is revoked unless the device itself shows it runs on it. A device that cannot
 * be asked after `commit` may have been sent leaves the run `unresolved`, key active, for a person.
 */
async function reconcileOne(deps: ReconcileDeps, run: UnfinishedRun): Promise<ReconcileRecord> {
  const { intent } = run;
  const base = {
    runId: intent.runId,
    station: deps.station,
    operator: deps.operator,
    hwid: intent.hwid,
    deviceId: intent.deviceId,
    port: intent.port,
  };
  const known = deps.known?.get(intent.runId);
  const carried = known?.error ? { error: known.error } : {};
  let keys: PlatformKey[];
  try {
    keys = (await deps.platform.findKeysByName(intent.applicationId, intent.keyName, cleanupSignal())).filter(
      (key) => key.name === intent.keyName,
    );
  } catch (error) {
    return {
      ...base,
      action: 'lookup-failed',
      reason: `The keys named ${intent.keyName} could not be looked up (${describeError(error).code}); tried again at the next start`,
    };
  }
  const active = keys.filter((key) => key.status === 'active');
  if (active.length === 0) {
    return {
      ...base,
      ...carried,
      action: 'no-key-found',
      outcome: 'failed',
      reason:
        keys.length === 0
          ? 'The run was interrupted before its key was created: nothing to undo'
          : 'The run was interrupted; its key was already inactive',
    };
  }
  const key = active[0]!;
  // Where the device may be: ask it which credentials it runs on.
  let hello: DeviceHello | undefined;
  let path = intent.port;
  for (const candidate of deps.portsFor?.(intent) ?? [intent.port]) {
    hello = await askDevice(deps, candidate, intent.hwid);
    if (hello) {
      path = candidate;
      break;
    }
  }
  if (hello && active.some((k) => holds(hello.slots.active, k))) {
    const notes = await keep(deps, run, path, key, hello);
    return {
      ...base,
      keyId: key.id,
      action: 'kept-key',
      outcome: 'passed',
      reason: `The device runs on the run's key (committed before the interruption)${notes.length ? `; ${notes.join('; ')}` : ''}`,
    };
  }
  if (!hello && run.commitSent) {
    return {
      ...base,
      ...carried,
      keyId: key.id,
      action: 'marked-unresolved',
      outcome: 'unresolved',
      reason:
        `The device ${intent.hwid} could not be asked and may run on key ${key.id}, which stays active: ` +
        'reconnect it and settle this run from the History',
    };
  }
  if (hello && active.some((k) => holds(hello.slots.staged, k))) {
    let link: DeviceLink | undefined;
    try {
      link = await deps.connector.open(path, AbortSignal.timeout(3000));
      await link.discard(AbortSignal.timeout(5000));
    } catch {
      // A staged key that is revoked below is useless; discarding is tidiness.
    } finally {
      await link?.close().catch(() => undefined);
    }
  }
  let all = true;
  for (const k of active) if (!(await revoke(deps, intent.applicationId, k))) all = false;
  if (!all) {
    return {
      ...base,
      keyId: key.id,
      action: 'revoke-failed',
      reason: `Key ${key.id} could not be revoked now; tried again at the next start`,
    };
  }
  return {
    ...base,
    ...carried,
    keyId: key.id,
    action: 'revoked-key',
    outcome: 'failed',
    reason: hello
      ? `The device does not run on key ${key.id}: it was revoked`
      : `The run stopped before commit, so no device runs on key ${key.id}: it was revoked`,
  };
}

/**
 * Start-up reconciliation (DESIGN.md §2): every unfinished intent is settled and what was done is
 * journaled. Runs still in progress in this process are left alone.
 */
export async function reconcileUnfinished(
  deps: ReconcileDeps,
  options: { running?: ReadonlySet<string> } = {},
): Promise<ReconcileSummary[]> {
  const unfinished = await deps.journal.unfinishedIntents();
  const unresolved = (await deps.journal.unresolvedRuns?.()) ?? [];
  const summaries: ReconcileSummary[] = [];
  for (const run of [...unfinished, ...unresolved.map((entry) => ({ ...entry, wasUnresolved: true }))]) {
    if (options.running?.has(run.intent.runId)) continue;
    const record = await reconcileOne(deps, run);
    // An unresolved run whose device still cannot be asked stays as it is: nothing new to say.
    if ('wasUnresolved' in run && (record.action === 'marked-unresolved' || !record.outcome)) continue;
    await deps.journal.appendReconcile(record);
    summaries.push({
      runId: record.runId,
      action: record.action,
      reason: record.reason,
      ...(record.outcome ? { outcome: record.outcome } : {}),
    });
  }
  return summaries;
}
