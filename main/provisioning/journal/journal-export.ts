import type { JournalBreak } from './chain-verifier';
import { csvRow } from './csv';
import { readJournalRecords, type ReadRecord } from './journal-reader';
import type { RecordOf } from './record-schema';

export type ExportFormat = 'csv' | 'jsonl';

export interface ExportOptions {
  format: ExportFormat;
  /** Only records written at or after this time. */
  since?: Date;
  /** Lines that are damaged or not records: reported by the caller, never silently dropped. */
  onBreak?: (problem: JournalBreak) => void;
}

export const CSV_COLUMNS = [
  'date',
  'operator',
  'station',
  'work order',
  'port',
  'hwid',
  'device id',
  'access key id',
  'outcome',
  'error code',
  'error message',
  'duration ms',
  'verification mode',
  'fingerprint prefix',
  'run id',
  'action',
  'integrity',
] as const;

/** Text chunks are gathered to about this size before they are handed out. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Streams the journal as CSV (one row per attempt) or JSON Lines (every record, byte for byte as
 * stored, so the recipient can check the hashes). Memory stays small whatever the journal size:
 * only intents still waiting for their outcome are held.
 *
 * CSV rows: each `outcome`, each `reconcile` that settles a run (outcome set), and at the end each
 * intent that never got either (outcome `unfinished`: interrupted, or running right now). Fields
 * missing from an outcome or reconcile are taken from its run's intent. Only intents still
 * waiting for an outcome (and those of unresolved runs) are held in memory.
 */
export async function* exportJournal(dataDir: string, options: ExportOptions): AsyncGenerator<string> {
  const since = options.since?.getTime();
  const records = readJournalRecords(dataDir, { onBreak: options.onBreak });
  const chunks = options.format === 'csv' ? csvChunks(records, since) : jsonlChunks(records, since);
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= CHUNK_BYTES) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

function after(record: { time: string }, since: number | undefined): boolean {
  return since === undefined || Date.parse(record.time) >= since;
}

async function* jsonlChunks(records: AsyncIterable<ReadRecord>, since: number | undefined): AsyncGenerator<string> {
  for await (const { record, raw } of records) {
    if (after(record, since)) yield `${raw.toString('utf8')}\n`;
  }
}

async function* csvChunks(records: AsyncIterable<ReadRecord>, since: number | undefined): AsyncGenerator<string> {
  yield csvRow([...CSV_COLUMNS]);
  const intents = new Map<string, { intent: RecordOf<'intent'>; integrity: string }>();
  // Unresolved runs wait for a person; their intent fills the row of the reconcile that settles them.
  const unresolved = new Map<string, RecordOf<'intent'>>();
  for await (const { record, integrity } of records) {
    if (record.kind === 'intent') {
      intents.set(record.runId, { intent: record, integrity });
    } else if (record.kind === 'outcome') {
      const intent = intents.get(record.runId)?.intent ?? unresolved.get(record.runId);
      intents.delete(record.runId);
      if (record.outcome === 'unresolved' && intent) unresolved.set(record.runId, intent);
      else unresolved.delete(record.runId);
      if (after(record, since)) yield outcomeRow(record, intent, integrity);
    } else if (record.kind === 'reconcile' && record.outcome) {
      const intent = intents.get(record.runId)?.intent ?? unresolved.get(record.runId);
      intents.delete(record.runId);
      unresolved.delete(record.runId);
      if (after(record, since)) yield reconcileRow(record, intent, integrity);
    }
  }
  for (const { intent, integrity } of intents.values()) {
    if (after(intent, since)) yield unfinishedRow(intent, integrity);
  }
}

function outcomeRow(record: RecordOf<'outcome'>, intent: RecordOf<'intent'> | undefined, integrity: string): string {
  return csvRow([
    record.startedAt ?? intent?.time ?? record.time,
    record.operator ?? intent?.operator,
    record.station ?? intent?.station,
    record.workOrder ?? intent?.workOrder,
    record.port ?? intent?.port,
    record.hwid ?? intent?.hwid,
    record.deviceId ?? intent?.deviceId,
    record.accessKeyId,
    record.outcome,
    record.error?.code,
    record.error?.message,
    record.durationMs === undefined ? undefined : Math.round(record.durationMs),
    record.verification ?? intent?.verification,
    record.fingerprintPrefix,
    record.runId,
    record.action ?? intent?.action,
    integrity,
  ]);
}

function reconcileRow(
  record: RecordOf<'reconcile'>,
  intent: RecordOf<'intent'> | undefined,
  integrity: string,
): string {
  return csvRow([
    record.time,
    record.operator ?? intent?.operator,
    record.station ?? intent?.station,
    record.workOrder ?? intent?.workOrder,
    record.port ?? intent?.port,
    record.hwid ?? intent?.hwid,
    record.deviceId ?? intent?.deviceId,
    record.accessKeyId,
    record.outcome,
    record.error?.code,
    record.error?.message ?? record.reason,
    record.durationMs === undefined ? undefined : Math.round(record.durationMs),
    intent?.verification,
    undefined,
    record.runId,
    `reconcile:${record.action}`,
    integrity,
  ]);
}

function unfinishedRow(intent: RecordOf<'intent'>, integrity: string): string {
  return csvRow([
    intent.time,
    intent.operator,
    intent.station,
    intent.workOrder,
    intent.port,
    intent.hwid,
    intent.deviceId,
    undefined,
    'unfinished',
    undefined,
    'no outcome recorded: interrupted, or still running',
    undefined,
    intent.verification,
    undefined,
    intent.runId,
    intent.action,
    integrity,
  ]);
}
