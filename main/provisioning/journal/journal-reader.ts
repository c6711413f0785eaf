import path from 'node:path';
import { ChainVerifier, type CheckedLine, type JournalBreak } from './chain-verifier';
import { JournalError } from './errors';
import { journalDir, journalFileName, listJournalFiles, readLines } from './journal-files';
import type { JournalRecord } from './record-schema';

/**
 * Reading never takes the data-dir lock: verify and export run beside a working station. A
 * record being written at that moment may show as an unfinished last line; rerun to tell.
 */

/** Every line of every journal file, in order, checked against the chain. */
export async function* scanJournal(dataDir: string): AsyncGenerator<CheckedLine> {
  const dir = journalDir(dataDir);
  const listing = await listJournalFiles(dir);
  if (!listing) {
    throw new JournalError(
      'JOURNAL_NOT_FOUND',
      `No journal in ${dataDir}: check --data-dir or KEYLINE_DATA_DIR (the journal lives in its "journal" folder).`,
    );
  }
  const verifier = new ChainVerifier();
  let expectedNumber = 1;
  for (const { name, number } of listing.files) {
    if (number !== expectedNumber) {
      const missing = journalFileName(expectedNumber);
      verifier.reanchor();
      yield {
        file: name,
        bytes: Buffer.alloc(0),
        line: 0,
        offset: 0,
        terminated: true,
        problem: {
          kind: 'missing-file',
          file: name,
          line: 0,
          offset: 0,
          message:
            number > expectedNumber
              ? `${missing}${number - expectedNumber > 1 ? ` to ${journalFileName(number - 1)}` : ''} missing before ${name}`
              : `${name} is numbered out of order`,
        },
      };
    }
    expectedNumber = number + 1;
    for await (const line of readLines(path.join(dir, name))) yield verifier.check(name, line);
  }
}

/** A record as read, with whether its own link in the chain holds. */
export interface ReadRecord {
  record: JournalRecord;
  /** The line as stored (for JSON Lines export: byte for byte what was hashed and written). */
  raw: Buffer;
  file: string;
  line: number;
  /** `ok`, or the kind of problem this very record has (bad-hash, broken-chain, seq-gap). */
  integrity: 'ok' | JournalBreak['kind'];
}

/**
 * Every schema-valid record, including those after a break (crash recovery and export want all
 * evidence). Problems, including lines that are not records at all, go to `onBreak`: a caller
 * reports them, none is silently dropped.
 */
export async function* readJournalRecords(
  dataDir: string,
  options: { onBreak?: (problem: JournalBreak) => void } = {},
): AsyncGenerator<ReadRecord> {
  for await (const checked of scanJournal(dataDir)) {
    if (checked.problem) options.onBreak?.(checked.problem);
    if (checked.record) {
      yield {
        record: checked.record,
        raw: checked.bytes,
        file: checked.file,
        line: checked.line,
        integrity: checked.problem?.kind ?? 'ok',
      };
    }
  }
}

export interface JournalIntegrity {
  dataDir: string;
  intact: boolean;
  files: string[];
  /** Records verified from the genesis up to the first break (all of them when intact). */
  records: number;
  /** Schema-valid records anywhere, after breaks too. */
  totalRecords: number;
  lines: number;
  /** The last record of the unbroken chain: note its hash elsewhere to anchor the journal. */
  lastSeq?: number;
  lastHash?: string;
  lastTime?: string;
  firstBreak?: JournalBreak;
  /** How many distinct breaks (the chain re-anchors after each). */
  breaks: number;
  /** Lines at and after the first break. */
  linesAfterBreak: number;
  /** Damaged tails an earlier open set aside as evidence (`*.damaged` files in the journal folder). */
  damagedFiles: string[];
}

export async function verifyJournal(dataDir: string): Promise<JournalIntegrity> {
  const dir = journalDir(dataDir);
  const listing = await listJournalFiles(dir);
  const result: JournalIntegrity = {
    dataDir,
    intact: true,
    files: listing?.files.map((file) => file.name) ?? [],
    records: 0,
    totalRecords: 0,
    lines: 0,
    breaks: 0,
    linesAfterBreak: 0,
    damagedFiles: listing?.damaged ?? [],
  };
  for await (const checked of scanJournal(dataDir)) {
    if (checked.line > 0) result.lines += 1;
    if (checked.record) result.totalRecords += 1;
    if (checked.problem) {
      result.breaks += 1;
      if (result.intact) {
        result.intact = false;
        result.firstBreak = checked.problem;
      }
    }
    if (!result.intact) {
      if (checked.line > 0) result.linesAfterBreak += 1;
      continue;
    }
    if (checked.record) {
      result.records += 1;
      result.lastSeq = checked.record.seq;
      result.lastHash = checked.record.hash;
      result.lastTime = checked.record.time;
    }
  }
  return result;
}
