import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HistoryExport, HistoryQuery, HistoryRow, IntegrityView } from '../../../common/contract/history';
import { KeylineError } from '../../../common/errors';
import { exportJournal, journalDir, readJournalRecords, verifyJournal } from '../../provisioning/journal';
import type { SecretRedactor } from '../../security/secret-redactor';
import { writeFileAtomic } from '../../storage/atomic-write';
import { historyRows } from './history-rows';

export type HistoryErrorCode = 'HISTORY_EXPORT_TOO_LARGE' | 'HISTORY_EXPORT_REFUSED' | 'HISTORY_BAD_QUERY';

export class HistoryError extends KeylineError<HistoryErrorCode> {
  constructor(code: HistoryErrorCode, message: string) {
    super(code, message);
    this.name = 'HistoryError';
  }
}

/** Asks where to save an export (Electron's save dialog); undefined when the technician cancels. */
export type SaveFilePicker = (suggestion: {
  defaultName: string;
  filters: Array<{ name: string; extensions: string[] }>;
}) => Promise<string | undefined>;

export interface HistoryServiceOptions {
  dataDir: string;
  redactor: SecretRedactor;
  /** Exports larger than this are refused over the contract (the CLI streams any size). */
  maxExportBytes?: number;
  now?: () => Date;
}

const DEFAULT_LIMIT = 50;
const DEFAULT_MAX_EXPORT = 64 * 1024 * 1024;

function haystack(row: HistoryRow): string {
  return [
    row.runId,
    row.operator,
    row.station,
    row.workOrder,
    row.port,
    row.hwid,
    row.model,
    row.deviceId,
    row.accessKeyId,
    row.action,
    row.outcome,
    row.error?.code,
    row.error?.message,
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

/** The journal's numbered files (docs/journal.md), none when the folder does not exist yet. */
async function journalFiles(dataDir: string): Promise<string[]> {
  const names = await readdir(journalDir(dataDir)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return names.filter((name) => /^journal-\d{6,}\.jsonl$/.test(name)).sort();
}

function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new HistoryError('HISTORY_BAD_QUERY', `"${name}" is not a date: ${value.slice(0, 40)}`);
  return time;
}

/**
 * The journal as the History screen sees it: rows (recomputed only when a journal file changed),
 * the integrity check, and the export. Reading needs no lock, so History works beside a batch and
 * beside a `keyline provision` in another process.
 */
export class HistoryService {
  readonly #options: HistoryServiceOptions;
  #cache: { key: string; rows: HistoryRow[] } | undefined;

  constructor(options: HistoryServiceOptions) {
    this.#options = options;
  }

  async list(query: HistoryQuery): Promise<{ rows: HistoryRow[]; total: number; counts: Record<string, number> }> {
    const all = await this.#rows();
    const since = parseTime(query.since, 'since');
    const until = parseTime(query.until, 'until');
    const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const counts: Record<string, number> = { all: all.length };
    for (const row of all) counts[row.outcome] = (counts[row.outcome] ?? 0) + 1;
    const matching = all.filter((row) => {
      if (query.outcome && query.outcome !== 'all' && row.outcome !== query.outcome) return false;
      const time = Date.parse(row.time);
      if (since !== undefined && time < since) return false;
      if (until !== undefined && time > until) return false;
      if (words.length === 0) return true;
      const text = haystack(row);
      return words.every((word) => text.includes(word));
    });
    matching.reverse();
    const offset = query.offset ?? 0;
    const rows = matching.slice(offset, offset + (query.limit ?? DEFAULT_LIMIT));
    return { rows, total: matching.length, counts };
  }

  async integrity(): Promise<IntegrityView> {
    const checkedAt = (this.#options.now?.() ?? new Date()).toISOString();
    if ((await journalFiles(this.#options.dataDir)).length === 0) {
      return { status: 'empty', records: 0, totalRecords: 0, breaks: 0, files: 0, damagedFiles: [], checkedAt };
    }
    const report = await verifyJournal(this.#options.dataDir);
    return {
      status: report.intact ? 'intact' : 'damaged',
      records: report.records,
      totalRecords: report.totalRecords,
      breaks: report.breaks,
      files: report.files.length,
      ...(report.lastSeq !== undefined ? { lastSeq: report.lastSeq } : {}),
      ...(report.lastHash ? { lastHash: report.lastHash } : {}),
      ...(report.firstBreak
        ? {
            firstBreak: {
              kind: report.firstBreak.kind,
              file: report.firstBreak.file,
              line: report.firstBreak.line,
              message: report.firstBreak.message,
            },
          }
        : {}),
      damagedFiles: report.damagedFiles.slice(0, 100),
      checkedAt,
    };
  }

  /**
   * The export as text (web host: the window offers it as a download) or, with a picker (Electron),
   * written where the technician chose. Either way it is checked against every secret the station
   * holds before it leaves: the journal never holds one, and this proves it on every export.
   */
  async export(format: 'csv' | 'jsonl', picker?: SaveFilePicker): Promise<HistoryExport> {
    const stamp = (this.#options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const fileName = `keyline-journal-${stamp}.${format}`;
    const text = (await journalFiles(this.#options.dataDir)).length > 0 ? await this.#exportText(format) : '';
    if (picker) {
      const target = await picker({
        defaultName: fileName,
        filters: [
          format === 'csv'
            ? { name: 'CSV (spreadsheet)', extensions: ['csv'] }
            : { name: 'JSON Lines', extensions: ['jsonl'] },
        ],
      });
      if (!target) return { delivery: 'cancelled' };
      await writeFileAtomic(target, text, 0o644);
      return { delivery: 'saved', path: target, bytes: Buffer.byteLength(text) };
    }
    return {
      delivery: 'download',
      fileName,
      mimeType: format === 'csv' ? 'text/csv' : 'application/jsonl',
      text,
    };
  }

  async #exportText(format: 'csv' | 'jsonl'): Promise<string> {
    const max = this.#options.maxExportBytes ?? DEFAULT_MAX_EXPORT;
    let text = '';
    for await (const chunk of exportJournal(this.#options.dataDir, { format })) {
      text += chunk;
      if (text.length > max) {
        throw new HistoryError(
          'HISTORY_EXPORT_TOO_LARGE',
          `The journal is larger than ${Math.round(max / 1024 / 1024)} MiB: export it with "keyline journal export --format ${format} --out FILE"`,
        );
      }
    }
    if (this.#options.redactor.redact(text) !== text) {
      throw new HistoryError(
        'HISTORY_EXPORT_REFUSED',
        'The export was stopped: it would contain a secret the station holds. Nothing was written; report this to support.',
      );
    }
    return text;
  }

  async #rows(): Promise<HistoryRow[]> {
    const key = await this.#cacheKey();
    if (key === '') return [];
    if (this.#cache?.key === key) return this.#cache.rows;
    const rows = await historyRows(readJournalRecords(this.#options.dataDir));
    this.#cache = { key, rows };
    return rows;
  }

  /** Names, sizes and times of the journal files: appends change it, nothing else does. */
  async #cacheKey(): Promise<string> {
    const dir = journalDir(this.#options.dataDir);
    const names = await journalFiles(this.#options.dataDir);
    if (names.length === 0) return '';
    const parts = await Promise.all(
      names.map(async (name) => {
        const info = await stat(path.join(dir, name)).catch(() => undefined);
        return `${name}:${info?.size ?? -1}:${info?.mtimeMs ?? -1}`;
      }),
    );
    return parts.join('|');
  }
}
