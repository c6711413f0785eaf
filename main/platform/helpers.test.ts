import { describe, expect, it } from 'vitest';
import { sanitisePlatformMessage } from './errors';
import { isRestrictedToDevice, keyReach } from './key-scope';
import { encodeQuery } from './query';
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter } from './retry';
import { PlatformClient } from './client';
import { APP_ID, DEVICE_ID, json, scriptedFetch } from './test-fakes';
import { envTokenSource, noTokenSource } from './token-source';

const A = '60aa00000000000000000001';
const B = '60aa00000000000000000002';

describe('encodeQuery', () => {
  it('puts the global parameters first, as the official client does', () => {
    expect(encodeQuery()).toBe('_actions=false&_links=true&_embedded=true');
  });

  it('skips undefined values and encodes RFC 3986 reserved characters like qs', () => {
    expect(encodeQuery({ filter: "it's (a) *glob*!", page: undefined })).toBe(
      '_actions=false&_links=true&_embedded=true&filter=it%27s%20%28a%29%20%2Aglob%2A%21',
    );
  });
});

describe('backoff', () => {
  it('doubles the ceiling per retry with equal jitter and never exceeds maxDelayMs', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay({ ...policy, random: () => 0 }, 1)).toBe(50);
    expect(backoffDelay({ ...policy, random: () => 1 }, 1)).toBe(100);
    expect(backoffDelay({ ...policy, random: () => 1 }, 3)).toBe(400);
    expect(backoffDelay({ ...policy, random: () => 1 }, 10)).toBe(1000);
  });

  it('takes Retry-After as a floor', () => {
    expect(backoffDelay({ ...DEFAULT_RETRY, random: () => 0 }, 1, 5000)).toBe(5000);
  });

  it('parses Retry-After seconds and dates, and ignores nonsense', () => {
    const now = Date.UTC(2025, 0, 1);
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(new Date(now + 4000).toUTCString(), now)).toBe(4000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('key reach', () => {
  it('sees a key with neither device ids nor tags as open to the whole application', () => {
    expect(keyReach({})).toEqual({ kind: 'application' });
    expect(isRestrictedToDevice({ deviceIds: [] }, A)).toBe(false);
  });

  it('accepts only a key restricted to exactly the one device', () => {
    expect(isRestrictedToDevice({ deviceIds: [A] }, A)).toBe(true);
    expect(isRestrictedToDevice({ deviceIds: [A.toUpperCase()] }, A)).toBe(true);
    expect(isRestrictedToDevice({ deviceIds: [A, B] }, A)).toBe(false);
    expect(isRestrictedToDevice({ deviceIds: [B] }, A)).toBe(false);
    expect(isRestrictedToDevice({ deviceIds: [A], deviceTags: [{ key: 'line', value: '3' }] }, A)).toBe(false);
  });
});

describe('sanitisePlatformMessage', () => {
  it('removes tokens, known secrets and control characters', () => {
    const text = sanitisePlatformMessage(
      'bad\ntoken eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.sig with s3cr3t-value and Bearer abc.def',
      ['s3cr3t-value'],
    );
    expect(text).toBe('bad token [REDACTED] with [REDACTED] and Bearer [REDACTED]');
  });

  it('ignores anything that is not a string', () => {
    expect(sanitisePlatformMessage({ secret: 'x' })).toBeUndefined();
  });
});

describe('token sources', () => {
  it('reads KEYLINE_TOKEN, trimmed, and nothing when it is unset or blank', async () => {
    expect(await envTokenSource({ KEYLINE_TOKEN: ' tok-123 \n' })?.getAccessToken()).toBe('tok-123');
    expect(envTokenSource({})).toBeUndefined();
    expect(envTokenSource({ KEYLINE_TOKEN: '  ' })).toBeUndefined();
  });

  it('lets a client without a session authenticate a device but make no bearer call', async () => {
    const script = scriptedFetch(
      json(200, { applicationId: APP_ID, deviceId: DEVICE_ID, deviceClass: 'standalone', token: 'device-token-1' }),
    );
    const client = new PlatformClient({
      apiUrl: 'https://api.example.test',
      tokens: noTokenSource(),
      fetch: script.fetch,
    });
    expect(
      (await client.authenticateDevice({ deviceId: DEVICE_ID, key: 'k', secret: 's-123456' })).value.deviceId,
    ).toBe(DEVICE_ID);
    await expect(client.me()).rejects.toMatchObject({ code: 'PLATFORM_UNAUTHORIZED' });
    expect(script.requests).toHaveLength(1);
  });
});
