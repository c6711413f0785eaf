import { journalPort } from '../provisioning';
import { openJournal, secretCheckFromRedactor, type Journal, type JournalEntryInput } from '../provisioning/journal';
import type { JournalPort } from '../provisioning/ports';
import type { SecretRedactor } from '../security/secret-redactor';
import { acquireDataDirLock, type DataDirLock } from '../storage/data-dir-lock';

export interface JournalOwnerOptions {
  dataDir: string;
  redactor: SecretRedactor;
  /** What the lock names as its holder. */
  command: string;
  /** The work order a run was started under, stamped on its intent, outcome and reconcile records. */
  workOrderOf: (runId: string) => string | undefined;
}

const STAMPED = new Set(['intent', 'outcome', 'reconcile', 'decommission']);

/**
 * Owns the data directory's lock and journal for the app: the pipeline appends through `port()`,
 * decommissioning through `append()`, and every run record gets the work order its lane was
 * started under. Opened at first use (a `keyline provision` holding the folder must not stop the
 * app from starting); the lock's message says who holds it when it cannot be taken.
 */
export class JournalOwner {
  readonly #options: JournalOwnerOptions;
  #lock: DataDirLock | undefined;
  #journal: Journal | undefined;
  #opening: Promise<Journal> | undefined;
  #port: JournalPort | undefined;

  constructor(options: JournalOwnerOptions) {
    this.#options = options;
  }

  journal(): Promise<Journal> {
    if (this.#journal) return Promise.resolve(this.#journal);
    this.#opening ??= (async () => {
      const lock = await acquireDataDirLock(this.#options.dataDir, { command: this.#options.command });
      try {
        const journal = await openJournal({ lock, isSecret: secretCheckFromRedactor(this.#options.redactor) });
        this.#lock = lock;
        this.#journal = journal;
        return journal;
      } catch (error) {
        await lock.release();
        throw error;
      }
    })().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async append(entry: JournalEntryInput): Promise<void> {
    await (await this.journal()).append(this.#stamp(entry));
  }

  /** The pipeline's journal port, opening the journal when the first record comes. */
  port(): JournalPort {
    const real = async (): Promise<JournalPort> => {
      if (this.#port) return this.#port;
      const journal = await this.journal();
      const stamping: Journal = {
        dataDir: journal.dataDir,
        opened: journal.opened,
        head: () => journal.head(),
        close: () => journal.close(),
        append: (entry) => journal.append(this.#stamp(entry)),
      };
      return (this.#port = journalPort(stamping));
    };
    return {
      appendIntent: async (intent) => (await real()).appendIntent(intent),
      appendOutcome: async (record) => (await real()).appendOutcome(record),
      appendReconcile: async (record) => (await real()).appendReconcile(record),
      appendCommitStarted: async (runId) => (await real()).appendCommitStarted(runId),
      unfinishedIntents: async () => (await real()).unfinishedIntents(),
    };
  }

  async close(): Promise<void> {
    await this.#opening?.catch(() => undefined);
    await this.#journal?.close().catch(() => undefined);
    this.#journal = undefined;
    this.#port = undefined;
    await this.#lock?.release();
    this.#lock = undefined;
  }

  #stamp(entry: JournalEntryInput): JournalEntryInput {
    if (!STAMPED.has(entry.kind) || !('runId' in entry) || entry.runId === undefined) return entry;
    if ('workOrder' in entry && entry.workOrder) return entry;
    const workOrder = this.#options.workOrderOf(entry.runId);
    return workOrder ? ({ ...entry, workOrder } as JournalEntryInput) : entry;
  }
}
