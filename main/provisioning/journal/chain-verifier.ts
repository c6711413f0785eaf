import { recordHash } from './canonical-json';
import type { JournalLine } from './journal-files';
import { GENESIS_HASH, JournalRecord } from './record-schema';

export type JournalBreakKind =
  'truncated-line' | 'not-json' | 'invalid-record' | 'bad-hash' | 'broken-chain' | 'seq-gap' | 'missing-file';

/** Where and why the journal stops being the record that was written. */
export interface JournalBreak {
  kind: JournalBreakKind;
  file: string;
  /** 1-based line in `file` (0 for a missing file). */
  line: number;
  /** Byte offset of that line in `file`. */
  offset: number;
  /** The seq the damaged record claims, when it could be read. */
  seq?: number;
  message: string;
}

/** One line of the journal as checked: the record when it is one, and the problem if any. */
export interface CheckedLine extends JournalLine {
  file: string;
  /** The record, when the line is a schema-valid record (even one with a bad hash). */
  record?: JournalRecord;
  problem?: JournalBreak;
}

/**
 * Follows the hash chain line by line. After a problem it re-anchors on the next record, so one
 * damaged line is one break, not a cascade; what came after is still checked link by link.
 */
export class ChainVerifier {
  #expectedPrev: string;
  #expectedSeq: number;
  #anchored: boolean;

  /**
   * Starts at the genesis, after a known record, or (`null`) takes the first record's link as
   * given (a later file checked on its own).
   */
  constructor(anchor: { hash: string; seq: number } | null = { hash: GENESIS_HASH, seq: 0 }) {
    this.#expectedPrev = anchor?.hash ?? GENESIS_HASH;
    this.#expectedSeq = (anchor?.seq ?? 0) + 1;
    this.#anchored = anchor !== null;
  }

  /** The next record must start a new anchor (after a missing file, say). */
  reanchor(): void {
    this.#anchored = false;
  }

  check(file: string, line: JournalLine): CheckedLine {
    const at = { file, line: line.line, offset: line.offset };
    const fail = (kind: JournalBreakKind, message: string, record?: JournalRecord): CheckedLine => {
      if (!record) this.#anchored = false;
      return { ...line, file, record, problem: { kind, ...at, ...(record ? { seq: record.seq } : {}), message } };
    };
    const where = `${file} line ${line.line}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.bytes.toString('utf8'));
    } catch {
      return line.terminated
        ? fail('not-json', `${where} is not JSON: the file was edited or overwritten there`)
        : fail(
            'truncated-line',
            `${where} is the end of the file and an incomplete record (${line.bytes.length} bytes, no newline): a write that did not finish (crash or power loss) or a cut file`,
          );
    }
    const result = JournalRecord.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      const pathText = issue?.path.length ? issue.path.join('.') : 'record';
      return fail(
        line.terminated ? 'invalid-record' : 'truncated-line',
        `${where} is JSON but not a valid journal record (${pathText}: ${issue?.code ?? 'invalid'})`,
      );
    }
    const record = result.data;
    const { hash: stated, ...withoutHash } = parsed as Record<string, unknown>;
    const hash = recordHash(record.prevHash, withoutHash);
    const anchored = this.#anchored;
    const expectedPrev = this.#expectedPrev;
    const expectedSeq = this.#expectedSeq;
    // Re-anchor on what the record states, so the next line is checked against it.
    this.#expectedPrev = record.hash;
    this.#expectedSeq = record.seq + 1;
    this.#anchored = true;
    if (hash !== stated) {
      return fail(
        'bad-hash',
        `${where} (seq ${record.seq}) does not match its hash: the record was changed after it was written`,
        record,
      );
    }
    if (anchored && record.prevHash !== expectedPrev) {
      return fail(
        'broken-chain',
        `${where} (seq ${record.seq}) does not follow the record before it (its prevHash differs): a record was removed, inserted or reordered`,
        record,
      );
    }
    if (anchored && record.seq !== expectedSeq) {
      return fail('seq-gap', `${where} has seq ${record.seq} where ${expectedSeq} was expected`, record);
    }
    return { ...line, file, record };
  }
}
