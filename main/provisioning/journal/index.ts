/**
 * The provisioning journal: the append-only, hash-chained record of every attempt (DESIGN.md §2–3,
 * docs/journal.md). Appending needs the data-dir lock (`main/storage/data-dir-lock.ts`); reading,
 * verifying and exporting do not.
 */
export { JournalError, type JournalErrorCode } from './errors';
export {
  ErrorInfo,
  FingerprintPrefix,
  GENESIS_HASH,
  JournalEntry,
  JournalRecord,
  Outcome,
  RunAction,
  StepTiming,
  VerificationMode,
  type JournalEntryInput,
  type JournalKind,
  type RecordOf,
} from './record-schema';
export {
  openJournal,
  JOURNAL_FORMAT,
  type Journal,
  type JournalOpenReport,
  type OpenJournalOptions,
} from './journal-writer';
export type { JournalFileHandle, JournalFs } from './journal-fs';
export type { ChainPoint, Quarantined } from './journal-repair';
export { journalDir } from './journal-files';
export {
  verifyJournal,
  readJournalRecords,
  scanJournal,
  type JournalIntegrity,
  type ReadRecord,
} from './journal-reader';
export type { JournalBreak, JournalBreakKind, CheckedLine } from './chain-verifier';
export { unfinishedIntents, unresolvedRuns, type UnfinishedIntent, type QueryOptions } from './journal-queries';
export { exportJournal, CSV_COLUMNS, type ExportFormat, type ExportOptions } from './journal-export';
export { secretCheckFromRedactor, isSecretFieldName, type IsSecret } from './secret-guard';
export { canonicalJson, recordHash } from './canonical-json';
