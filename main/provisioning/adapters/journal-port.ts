import { unfinishedIntents, unresolvedRuns, type Journal, type JournalEntryInput } from '../journal';
import { keyNameFor } from '../run-id';
import type { JournalPort, ReconcileRecord, RunIntent, RunRecord, UnfinishedRun } from '../ports';

const OLD_KEY_ACTION = {
  deactivated: 'deactivated',
  deleted: 'deleted',
  kept: 'kept',
  'left-shared': 'shared-not-touched',
} as const;

/** Flat facts beside the schema's own fields; the journal caps text at 256 and entries at 32. */
function detailOf(record: RunRecord): Record<string, string | number | boolean> {
  const detail: Record<string, string | number | boolean> = {};
  if (record.keyName) detail['keyName'] = record.keyName;
  if (record.devicePathProven !== undefined) detail['devicePathProven'] = record.devicePathProven;
  if (record.newKey) detail['newKey'] = record.newKey;
  if (record.rotation?.oldKey === 'not-found') detail['oldKey'] = 'not-found';
  if (record.timing) {
    detail['deviceMs'] = record.timing.deviceMs;
    detail['platformMs'] = record.timing.platformMs;
    detail['stationMs'] = record.timing.stationMs;
  }
  record.notes.slice(0, 20).forEach((note, index) => {
    detail[`note.${index}`] = note.slice(0, 256);
  });
  return detail;
}

/** A step's facts within the journal's limits (32 entries, text up to 256). */
function stepDetailOf(detail: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(detail)
      .slice(0, 32)
      .map(([key, value]) => [key, typeof value === 'string' ? value.slice(0, 256) : value]),
  );
}

function outcomeEntry(record: RunRecord): JournalEntryInput {
  const previousKeyAction =
    record.rotation && record.rotation.oldKey !== 'not-found' ? OLD_KEY_ACTION[record.rotation.oldKey] : undefined;
  return {
    kind: 'outcome',
    runId: record.runId,
    action: record.rotation ? 'rotate' : 'provision',
    outcome: record.outcome,
    ...(record.hwid ? { hwid: record.hwid } : {}),
    ...(record.deviceId ? { deviceId: record.deviceId } : {}),
    ...(record.applicationId ? { applicationId: record.applicationId } : {}),
    ...(record.keyId ? { accessKeyId: record.keyId } : {}),
    ...(record.rotation?.oldKeyId ? { previousAccessKeyId: record.rotation.oldKeyId } : {}),
    ...(previousKeyAction ? { previousKeyAction } : {}),
    ...(record.fingerprintPrefix ? { fingerprintPrefix: record.fingerprintPrefix } : {}),
    ...(record.verifyMode ? { verification: record.verifyMode } : {}),
    ...(record.model ? { model: record.model.slice(0, 256) } : {}),
    ...(record.firmware ? { firmware: record.firmware.slice(0, 256) } : {}),
    ...(record.startedAt ? { startedAt: record.startedAt } : {}),
    ...(record.timing ? { durationMs: record.timing.totalMs } : {}),
    steps: record.steps.map((step) => ({
      name: step.name,
      status: step.status,
      ms: step.ms,
      ...(step.detail ? { detail: stepDetailOf(step.detail) } : {}),
    })),
    ...(record.error ? { error: { code: record.error.code, message: record.error.message.slice(0, 2000) } } : {}),
    operator: record.operator.slice(0, 256),
    station: record.station.slice(0, 256),
    port: record.port.slice(0, 256),
    detail: detailOf(record),
  };
}

function intentEntry(intent: RunIntent): JournalEntryInput {
  return {
    kind: 'intent',
    runId: intent.runId,
    action: intent.rotation ? 'rotate' : 'provision',
    hwid: intent.hwid,
    keyName: intent.keyName,
    deviceId: intent.deviceId,
    applicationId: intent.applicationId,
    ...(intent.oldKeyId ? { previousAccessKeyId: intent.oldKeyId } : {}),
    ...(intent.model ? { model: intent.model.slice(0, 256) } : {}),
    ...(intent.firmware ? { firmware: intent.firmware.slice(0, 256) } : {}),
    verification: intent.verifyMode,
    operator: intent.operator.slice(0, 256),
    station: intent.station.slice(0, 256),
    port: intent.port.slice(0, 256),
    ...(intent.oldKeyExclusive !== undefined ? { detail: { oldKeyExclusive: intent.oldKeyExclusive } } : {}),
  };
}

function reconcileEntry(record: ReconcileRecord): JournalEntryInput {
  return {
    kind: 'reconcile',
    runId: record.runId,
    action: record.action,
    reason: record.reason.slice(0, 2000),
    ...(record.outcome ? { outcome: record.outcome } : {}),
    ...(record.hwid ? { hwid: record.hwid } : {}),
    ...(record.deviceId ? { deviceId: record.deviceId } : {}),
    ...(record.keyId ? { accessKeyId: record.keyId } : {}),
    ...(record.error ? { error: record.error } : {}),
    operator: record.operator.slice(0, 256),
    station: record.station.slice(0, 256),
    ...(record.port ? { port: record.port.slice(0, 256) } : {}),
  };
}

/**
 * The pipeline's journal port over the hash-chained journal (main/provisioning/journal/).
 * `applicationId` answers for records that do not name theirs (a reconcile record).
 */
export function journalPort(journal: Journal, applicationId: () => string | undefined = () => undefined): JournalPort {
  return {
    async appendIntent(intent) {
      await journal.append(intentEntry(intent));
    },
    async appendOutcome(record) {
      await journal.append(outcomeEntry(record));
    },
    async appendReconcile(record) {
      await journal.append(reconcileEntry(record));
    },
    async appendCommitStarted(runId) {
      await journal.append({ kind: 'step', runId, step: 'commit', status: 'started' });
    },
    async unfinishedIntents(): Promise<UnfinishedRun[]> {
      const open = await unfinishedIntents(journal.dataDir);
      return open.map(({ intent, steps }) => ({
        intent: {
          runId: intent.runId,
          time: intent.time,
          station: intent.station ?? '',
          operator: intent.operator ?? '',
          applicationId: intent.applicationId ?? '',
          port: intent.port ?? '',
          hwid: intent.hwid,
          deviceId: intent.deviceId ?? '',
          keyName: intent.keyName,
          verifyMode: intent.verification ?? 'device',
          rotation: intent.action === 'rotate',
          ...(intent.model ? { model: intent.model } : {}),
          ...(intent.firmware ? { firmware: intent.firmware } : {}),
          ...(intent.previousAccessKeyId ? { oldKeyId: intent.previousAccessKeyId } : {}),
          ...(typeof intent.detail?.['oldKeyExclusive'] === 'boolean'
            ? { oldKeyExclusive: intent.detail['oldKeyExclusive'] }
            : {}),
        },
        commitSent: steps.some((step) => step.step === 'commit' && step.status === 'started'),
      }));
    },
    async unresolvedRuns(): Promise<UnfinishedRun[]> {
      const runs = await unresolvedRuns(journal.dataDir);
      return runs.flatMap((record) => {
        const app = ('applicationId' in record ? record.applicationId : undefined) ?? applicationId();
        if (!app || !record.hwid) return [];
        return [
          {
            intent: {
              runId: record.runId,
              time: record.time,
              station: record.station ?? '',
              operator: record.operator ?? '',
              applicationId: app,
              port: record.port ?? '',
              hwid: record.hwid,
              deviceId: record.deviceId ?? '',
              keyName: keyNameFor(record.runId),
              verifyMode: 'device' as const,
              rotation: false,
            },
            commitSent: true,
          },
        ];
      });
    },
  };
}
