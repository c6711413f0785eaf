import { KeylineError } from '../../common/errors';
import { openJournal, secretCheckFromRedactor, type JournalEntryInput } from '../provisioning/journal';
import type { SecretRedactor } from '../security/secret-redactor';
import { acquireDataDirLock } from '../storage/data-dir-lock';
import { InspectError } from './inspect-error';

/** An `inspect` journal record as the inspector writes it (docs/journal.md). */
export type InspectEntry = Omit<Extract<JournalEntryInput, { kind: 'inspect' }>, 'kind'>;

/** A journal opened for one inspector action: append its record(s), then close. */
export interface InspectJournalSession {
  append(entry: InspectEntry): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where inspector actions are journaled. `open()` is called before an action that changes
 * something: if it throws, the action is not done, so every change leaves a record.
 */
export interface InspectJournal {
  open(): Promise<InspectJournalSession>;
}

/**
 * A journal someone else keeps open (the provisioning service's, in the app): records go into the
 * same chain, nothing to open or close.
 */
export function sharedInspectJournal(append: (entry: JournalEntryInput) => Promise<unknown>): InspectJournal {
  const session: InspectJournalSession = {
    append: async (entry) => {
      await append({ kind: 'inspect', ...entry });
    },
    close: () => Promise.resolve(),
  };
  return { open: () => Promise.resolve(session) };
}

/**
 * Opens the data directory's journal for each action, under the data-dir lock, and lets go right
 * after: the CLI and an app with no provisioning batch open. While another Keyline owns the data
 * directory, `open()` fails with INSPECT_JOURNAL_UNAVAILABLE naming the holder.
 */
export function dataDirInspectJournal(options: {
  dataDir: string;
  redactor: SecretRedactor;
  command: string;
}): InspectJournal {
  return {
    async open() {
      let lock;
      try {
        lock = await acquireDataDirLock(options.dataDir, { command: options.command });
      } catch (error) {
        throw unavailable(error);
      }
      try {
        const journal = await openJournal({ lock, isSecret: secretCheckFromRedactor(options.redactor) });
        return {
          append: async (entry) => {
            await journal.append({ kind: 'inspect', ...entry });
          },
          close: async () => {
            await journal.close().catch(() => undefined);
            await lock.release();
          },
        };
      } catch (error) {
        await lock.release();
        throw unavailable(error);
      }
    },
  };
}

function unavailable(error: unknown): InspectError {
  const reason = error instanceof KeylineError ? error.message : 'the journal could not be opened';
  return new InspectError(
    'INSPECT_JOURNAL_UNAVAILABLE',
    `Nothing was changed: the journal cannot record it (${reason})`,
    { cause: error },
  );
}
