import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { KeylineError } from '../../common/errors';
import { parseCommandLine } from '../host/args';
import {
  exportJournal,
  verifyJournal,
  type ExportFormat,
  type JournalBreak,
  type JournalIntegrity,
} from '../provisioning/journal';
import { storageError } from '../storage/atomic-write';
import { resolveDataDir } from '../storage/data-dir';
import { describeOwner, readDataDirLock } from '../storage/data-dir-lock';
import type { CliCommand, CliIo } from './commands';

const USAGE =
  'keyline journal export [--format csv|jsonl] [--out FILE] [--since ISO] [--data-dir DIR]\n' +
  '  keyline journal verify [--data-dir DIR] [--json]';
const EXPORT_USAGE = 'keyline journal export [--format csv|jsonl] [--out FILE] [--since ISO] [--data-dir DIR]';
const VERIFY_USAGE = 'keyline journal verify [--data-dir DIR] [--json]';
/** Breaks printed one by one; beyond this, only counted. */
const BREAKS_SHOWN = 20;

/**
 * `keyline journal`: read-only commands over the journal of a data directory. They take no lock,
 * so they run beside a working station.
 */
export const journalCommand: CliCommand = {
  name: 'journal',
  summary:
    'Export the journal (CSV, one row per attempt, or JSON Lines) or verify its hash chain (exit 1 when damaged).',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'export') return await runExport(rest, io);
    if (sub === 'verify') return await runVerify(rest, io);
    throw new KeylineError('CLI_USAGE', `expected "export" or "verify"${sub ? `, not "${sub}"` : ''}\nusage: ${USAGE}`);
  },
};

function noPositionals(positionals: string[], usage: string): void {
  if (positionals.length > 0) {
    throw new KeylineError('CLI_USAGE', `unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  }
}

async function runExport(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      format: { type: 'string' },
      out: { type: 'string' },
      since: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    EXPORT_USAGE,
  );
  noPositionals(positionals, EXPORT_USAGE);
  const format = (values.format ?? 'csv') as ExportFormat;
  if (format !== 'csv' && format !== 'jsonl') {
    throw new KeylineError(
      'CLI_USAGE',
      `--format must be csv or jsonl, not "${values.format}"\nusage: ${EXPORT_USAGE}`,
    );
  }
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (Number.isNaN(since.getTime())) {
      throw new KeylineError(
        'CLI_USAGE',
        `--since must be an ISO date or time such as 2025-03-04 or 2025-03-04T10:00:00Z, not "${values.since}"`,
      );
    }
  }
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
  const breaks: JournalBreak[] = [];
  const chunks = exportJournal(dataDir, { format, since, onBreak: (problem) => breaks.push(problem) });
  if (values.out === undefined) {
    for await (const chunk of chunks) io.stdout(chunk);
  } else {
    await writeExportFile(path.resolve(values.out), chunks);
    io.stderr(`Exported the journal of ${dataDir} to ${path.resolve(values.out)} (${format}).\n`);
  }
  if (breaks.length === 0) return 0;
  reportBreaks(breaks, io);
  io.stderr(
    'The export holds every record that could be read; the integrity column (CSV) says which ones are damaged. Run "keyline journal verify" for details.\n',
  );
  return 1;
}

/** Writes the export next to its final name, then renames it: a reader never sees half a file. */
async function writeExportFile(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      for await (const chunk of chunks) await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    if (error instanceof KeylineError) throw error;
    throw storageError('write', file, error);
  }
}

function reportBreaks(breaks: JournalBreak[], io: CliIo): void {
  for (const problem of breaks.slice(0, BREAKS_SHOWN)) io.stderr(`warning: ${problem.message} [${problem.kind}]\n`);
  if (breaks.length > BREAKS_SHOWN) io.stderr(`warning: ${breaks.length - BREAKS_SHOWN} more damaged places\n`);
}

async function runVerify(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    VERIFY_USAGE,
  );
  noPositionals(positionals, VERIFY_USAGE);
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
  const integrity = await verifyJournal(dataDir);
  const holder = await readDataDirLock(dataDir);
  const inUse = holder?.alive ? describeOwner(holder.owner, new Date()) : undefined;
  if (values.json) {
    io.stdout(`${JSON.stringify({ ...integrity, ...(inUse ? { inUse } : {}) })}\n`);
  } else {
    io.stdout(describeIntegrity(integrity, inUse));
  }
  return integrity.intact ? 0 : 1;
}

export function describeIntegrity(integrity: JournalIntegrity, inUse: string | undefined): string {
  const files = `${integrity.files.length} file${integrity.files.length === 1 ? '' : 's'}`;
  const lines: string[] = [];
  if (integrity.intact) {
    lines.push(
      `Journal of ${integrity.dataDir}: intact. ${integrity.records} records in ${files}` +
        (integrity.lastSeq === undefined ? '.' : `, last seq ${integrity.lastSeq} at ${integrity.lastTime}.`),
    );
    if (integrity.lastHash) lines.push(`Last hash: ${integrity.lastHash}`);
  } else {
    const first = integrity.firstBreak;
    lines.push(`Journal of ${integrity.dataDir}: DAMAGED.`);
    if (first) lines.push(`First break: ${first.message} [${first.kind}, byte ${first.offset}].`);
    lines.push(
      `${integrity.records} records verify before it` +
        (integrity.lastSeq === undefined ? '' : ` (last good seq ${integrity.lastSeq})`) +
        `; ${integrity.linesAfterBreak} lines from the break on; ${integrity.breaks} damaged place${integrity.breaks === 1 ? '' : 's'} in all.`,
    );
    if (first?.kind === 'truncated-line' && inUse) {
      lines.push(
        `The data directory is in use (${inUse}): the last line may be a write in progress; run verify again.`,
      );
    } else if (first?.kind === 'truncated-line') {
      lines.push('The next start of the station sets the unfinished tail aside in a .damaged file and records it.');
    }
  }
  if (integrity.damagedFiles.length > 0) {
    lines.push(`Damaged tails set aside earlier (kept as evidence): ${integrity.damagedFiles.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
