/**
 * The History screen: the journal as one row per attempt (the same rows as the CSV export), its
 * integrity, and the export. Rows carry ids, fingerprint prefixes and error messages only: the
 * journal never holds a secret, and nothing here adds one.
 */
import { z } from 'zod';
import { defineMethod, noArgs } from './define';

export const HistoryOutcome = z.enum(['passed', 'failed', 'skipped', 'unresolved', 'reconciled', 'unfinished']);
export type HistoryOutcome = z.infer<typeof HistoryOutcome>;

const Text = z.string().max(2000);
const Short = z.string().max(256);

export const HistoryStep = z.strictObject({
  name: Short,
  status: z.enum(['passed', 'failed', 'skipped']),
  ms: z.number().nonnegative(),
});
export type HistoryStep = z.infer<typeof HistoryStep>;

export const HistoryRow = z.strictObject({
  /** Seq of the record the row comes from: a stable key, and how support finds the line. */
  seq: z.number().int().positive(),
  runId: Short,
  /** When the attempt started (or the record was written, when the start is unknown). */
  time: z.string(),
  operator: Short.optional(),
  station: Short.optional(),
  workOrder: Short.optional(),
  port: Short.optional(),
  hwid: Short.optional(),
  model: Short.optional(),
  deviceId: Short.optional(),
  accessKeyId: Short.optional(),
  /** provision, rotate, decommission, or `reconcile:<what recovery did>`. */
  action: Short,
  outcome: HistoryOutcome,
  error: z.strictObject({ code: z.string().max(100), message: Text }).optional(),
  durationMs: z.number().nonnegative().optional(),
  verification: z.enum(['device', 'station']).optional(),
  fingerprintPrefix: z.string().max(16).optional(),
  /** `ok`, or the kind of damage of this very record (bad-hash, broken-chain, seq-gap). */
  integrity: z.string().max(40),
  steps: z.array(HistoryStep).max(64),
});
export type HistoryRow = z.infer<typeof HistoryRow>;

export const JournalBreakView = z.strictObject({
  kind: z.string().max(40),
  file: Short,
  line: z.number().int().nonnegative(),
  message: Text,
});

export const IntegrityView = z.strictObject({
  /** `intact`; `damaged` (a break, explained in firstBreak); `empty`: no journal yet. */
  status: z.enum(['intact', 'damaged', 'empty']),
  records: z.number().int().nonnegative(),
  totalRecords: z.number().int().nonnegative(),
  breaks: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative().optional(),
  /** The last hash of the unbroken chain: note it elsewhere to anchor the journal. */
  lastHash: z.string().max(64).optional(),
  firstBreak: JournalBreakView.optional(),
  damagedFiles: z.array(Short).max(100),
  checkedAt: z.string(),
});
export type IntegrityView = z.infer<typeof IntegrityView>;

export const HistoryQuery = z.strictObject({
  /** Words that must all appear in the row (hwid, device id, operator, port, work order, error...). */
  search: z.string().max(200).optional(),
  outcome: z.union([HistoryOutcome, z.literal('all')]).optional(),
  /** ISO date-times, inclusive. */
  since: z.string().max(40).optional(),
  until: z.string().max(40).optional(),
  offset: z.number().int().nonnegative().max(10_000_000).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const HistoryExport = z.discriminatedUnion('delivery', [
  /** Web host: the file's text, which the window offers as a download. */
  z.strictObject({ delivery: z.literal('download'), fileName: Short, mimeType: Short, text: z.string() }),
  /** Electron: written where the technician chose in the save dialog. */
  z.strictObject({ delivery: z.literal('saved'), path: z.string().max(4000), bytes: z.number().int() }),
  z.strictObject({ delivery: z.literal('cancelled') }),
]);
export type HistoryExport = z.infer<typeof HistoryExport>;

export const historyMethods = {
  'history.list': defineMethod({
    summary: 'Attempts from the journal, newest first, searched and filtered, one page at a time.',
    args: HistoryQuery,
    result: z.strictObject({
      rows: z.array(HistoryRow),
      total: z.number().int().nonnegative(),
      /** Counts of the whole journal by outcome, for the filter buttons. */
      counts: z.record(z.string(), z.number().int().nonnegative()),
    }),
  }),
  'history.integrity': defineMethod({
    summary: 'Checks the hash chain of the whole journal and explains the first break, if any.',
    args: noArgs,
    result: IntegrityView,
  }),
  'history.export': defineMethod({
    summary: 'Exports the journal (CSV: one row per attempt; JSON Lines: every record as stored).',
    args: z.strictObject({ format: z.enum(['csv', 'jsonl']) }),
    result: HistoryExport,
  }),
} as const;
