import { describe, expect, it, vi } from 'vitest';
import { PlatformError, type PlatformClient } from '../platform';
import { runAction } from './actions';
import { InspectError } from './inspect-error';
import type { InspectEntry, InspectJournal } from './inspect-journal';
import type { InspectPlatform } from './platform-access';

const APP = 'a'.repeat(24);
const KEY = 'b'.repeat(24);
const target = { kind: 'accessKey' as const, applicationId: APP, id: KEY };

function platform(patch: () => Promise<unknown>): InspectPlatform {
  return {
    source: 'session',
    who: 'Sam',
    operator: 'sam@example.com',
    apiUrl: 'https://api.example.com',
    client: { keys: { patch: vi.fn(patch), delete: vi.fn(patch) } } as unknown as PlatformClient,
    scopes: ['all.Application.bounded'],
    roleCap: 'collaborate',
    userId: null,
    defaultApplication: null,
    ownTokenId: () => Promise.resolve(undefined),
  };
}

function journal(): InspectJournal & { entries: InspectEntry[]; closed: number } {
  const entries: InspectEntry[] = [];
  const result = {
    entries,
    closed: 0,
    open: () =>
      Promise.resolve({
        append: (entry: InspectEntry) => {
          entries.push(entry);
          return Promise.resolve();
        },
        close: () => {
          result.closed += 1;
          return Promise.resolve();
        },
      }),
  };
  return result;
}

describe('running an action', () => {
  it('changes nothing when the journal cannot record it', async () => {
    const target_ = platform(() => Promise.resolve({}));
    const closed: InspectJournal = {
      open: () => Promise.reject(new InspectError('INSPECT_JOURNAL_UNAVAILABLE', 'Nothing was changed: busy')),
    };
    await expect(runAction(target_, closed, { station: 's' }, target, 'deactivate')).rejects.toMatchObject({
      code: 'INSPECT_JOURNAL_UNAVAILABLE',
    });
    expect(target_.client.keys.patch).not.toHaveBeenCalled();
  });

  it('answers a 401 as "not allowed for you" and journals the refusal', async () => {
    const refused = new PlatformError('PLATFORM_FORBIDDEN', 'This session may not update access key', { status: 401 });
    const records = journal();
    const outcome = await runAction(
      platform(() => Promise.reject(refused)),
      records,
      { station: 's' },
      target,
      'deactivate',
    );
    expect(outcome).toEqual({
      outcome: 'notAllowed',
      message: 'Not allowed for you.',
      reason: 'The platform refused it (401): This session may not update access key',
      journaled: true,
    });
    expect(records.entries).toEqual([
      expect.objectContaining({
        action: 'deactivate-access-key',
        accessKeyId: KEY,
        result: 'not-allowed',
        error: { code: 'PLATFORM_FORBIDDEN', message: 'This session may not update access key' },
        operator: 'sam@example.com',
      }),
    ]);
    expect(records.closed).toBe(1);
  });

  it('journals a failure and passes the error on', async () => {
    const down = new PlatformError('PLATFORM_UNAVAILABLE', 'The platform is unreachable');
    const records = journal();
    await expect(
      runAction(
        platform(() => Promise.reject(down)),
        records,
        { station: 's' },
        target,
        'delete',
      ),
    ).rejects.toBe(down);
    expect(records.entries[0]).toMatchObject({
      action: 'delete-access-key',
      result: 'failed',
      error: { code: 'PLATFORM_UNAVAILABLE' },
    });
  });
});
