import type { HistoryRow, HistoryStep } from '../../../common/contract/history';
import type { ReadRecord, RecordOf } from '../../provisioning/journal';

type Intent = RecordOf<'intent'>;

function steps(record: RecordOf<'outcome'>): HistoryStep[] {
  return (record.steps ?? []).map((step) => ({ name: step.name, status: step.status, ms: step.ms }));
}

/** Drops undefined fields, so rows pass the strict contract schema as they are. */
function clean<T extends object>(row: T): T {
  for (const key of Object.keys(row) as Array<keyof T>) if (row[key] === undefined) delete row[key];
  return row;
}

function outcomeRow(record: RecordOf<'outcome'>, intent: Intent | undefined, integrity: string): HistoryRow {
  return clean({
    seq: record.seq,
    runId: record.runId,
    time: record.startedAt ?? intent?.time ?? record.time,
    operator: record.operator ?? intent?.operator,
    station: record.station ?? intent?.station,
    workOrder: record.workOrder ?? intent?.workOrder,
    port: record.port ?? intent?.port,
    hwid: record.hwid ?? intent?.hwid,
    model: record.model ?? intent?.model,
    deviceId: record.deviceId ?? intent?.deviceId,
    accessKeyId: record.accessKeyId,
    action: record.action ?? intent?.action ?? 'provision',
    outcome: record.outcome,
    error: record.error,
    durationMs: record.durationMs,
    verification: record.verification ?? intent?.verification,
    fingerprintPrefix: record.fingerprintPrefix,
    integrity,
    steps: steps(record),
  });
}

function reconcileRow(record: RecordOf<'reconcile'>, intent: Intent | undefined, integrity: string): HistoryRow {
  return clean({
    seq: record.seq,
    runId: record.runId,
    time: record.time,
    operator: record.operator ?? intent?.operator,
    station: record.station ?? intent?.station,
    workOrder: record.workOrder ?? intent?.workOrder,
    port: record.port ?? intent?.port,
    hwid: record.hwid ?? intent?.hwid,
    model: intent?.model,
    deviceId: record.deviceId ?? intent?.deviceId,
    accessKeyId: record.accessKeyId,
    action: `reconcile:${record.action}`,
    outcome: record.outcome ?? 'unresolved',
    error: record.error ?? { code: 'RECONCILED', message: record.reason },
    durationMs: record.durationMs,
    verification: intent?.verification,
    integrity,
    steps: [],
  });
}

function decommissionRow(record: RecordOf<'decommission'>, integrity: string): HistoryRow {
  return clean({
    seq: record.seq,
    runId: record.runId,
    time: record.time,
    operator: record.operator,
    station: record.station,
    workOrder: record.workOrder,
    port: record.port,
    hwid: record.hwid,
    deviceId: record.deviceId,
    accessKeyId: record.accessKeyIds?.join(' '),
    action: `decommission:${record.action}`,
    outcome: record.outcome === 'reconciled' ? 'passed' : record.outcome,
    error: record.error,
    durationMs: record.durationMs,
    integrity,
    steps: [],
  });
}

function unfinishedRow(intent: Intent, integrity: string): HistoryRow {
  return clean({
    seq: intent.seq,
    runId: intent.runId,
    time: intent.time,
    operator: intent.operator,
    station: intent.station,
    workOrder: intent.workOrder,
    port: intent.port,
    hwid: intent.hwid,
    model: intent.model,
    deviceId: intent.deviceId,
    action: intent.action,
    outcome: 'unfinished',
    error: { code: 'NO_OUTCOME', message: 'No outcome recorded: interrupted, or still running' },
    verification: intent.verification,
    integrity,
    steps: [],
  });
}

/**
 * One row per attempt, as the CSV export has them (docs/journal.md): each `outcome`, each
 * `reconcile` that settles a run, each `decommission`, and each intent that never got an outcome
 * (`unfinished`). Fields an outcome lacks come from its run's intent. Oldest first.
 */
export async function historyRows(records: AsyncIterable<ReadRecord>): Promise<HistoryRow[]> {
  const rows: HistoryRow[] = [];
  const open = new Map<string, { intent: Intent; integrity: string }>();
  // An unresolved run waits for a person; its intent fills the row of the reconcile that settles it.
  const waiting = new Map<string, Intent>();
  for await (const { record, integrity } of records) {
    switch (record.kind) {
      case 'intent':
        open.set(record.runId, { intent: record, integrity });
        break;
      case 'outcome': {
        const intent = open.get(record.runId)?.intent ?? waiting.get(record.runId);
        open.delete(record.runId);
        if (record.outcome === 'unresolved' && intent) waiting.set(record.runId, intent);
        else waiting.delete(record.runId);
        rows.push(outcomeRow(record, intent, integrity));
        break;
      }
      case 'reconcile':
        if (record.outcome) {
          const intent = open.get(record.runId)?.intent ?? waiting.get(record.runId);
          open.delete(record.runId);
          waiting.delete(record.runId);
          rows.push(reconcileRow(record, intent, integrity));
        }
        break;
      case 'decommission':
        rows.push(decommissionRow(record, integrity));
        break;
      default:
        break;
    }
  }
  for (const { intent, integrity } of open.values()) rows.push(unfinishedRow(intent, integrity));
  return rows.sort((a, b) => a.seq - b.seq);
}
