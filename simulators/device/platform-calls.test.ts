import { describe, expect, it } from 'vitest';
import { runPlatformTest } from './platform-calls';

/** Unit test of the firmware's `test` calls with an injected fetch: what the reply carries. */
const slot = {
  deviceId: 'd'.repeat(24),
  key: 'k-123',
  keyId: null,
  secret: 's-456',
  apiUrl: 'http://platform.invalid',
  mqttUrl: null,
  fp: '0'.repeat(64),
};

function answering(...answers: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>) {
  return (async () => {
    const next = answers.shift()!;
    return new Response(JSON.stringify(next.body ?? {}), { status: next.status, headers: next.headers ?? {} });
  }) as unknown as typeof fetch;
}

async function test(fetcher: typeof globalThis.fetch) {
  return runPlatformTest({
    slot,
    nonce: 'n-12345678',
    baseUrl: slot.apiUrl,
    fetch: fetcher,
    signal: new AbortController().signal,
    timeoutMs: 1000,
  });
}

describe('runPlatformTest: Retry-After', () => {
  it("passes on the platform's Retry-After with a 429 on the login", async () => {
    const result = await test(answering({ status: 429, headers: { 'retry-after': '3' } }));
    expect(result).toMatchObject({ passed: false, steps: [{ step: 'auth', status: 429, retryAfter: 3 }] });
  });

  it('passes it on with a 503 on the state report', async () => {
    const result = await test(
      answering(
        { status: 200, body: { token: 't', applicationId: 'a'.repeat(24) } },
        { status: 503, headers: { 'retry-after': '1' } },
      ),
    );
    expect(result.steps[1]).toMatchObject({ step: 'state', status: 503, retryAfter: 1 });
    expect(result.steps[0]).not.toHaveProperty('retryAfter');
  });

  it('leaves it out when there is none, when it is a date, or when the status is not 429/503', async () => {
    expect((await test(answering({ status: 429 }))).steps[0]).not.toHaveProperty('retryAfter');
    const dated = await test(answering({ status: 429, headers: { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' } }));
    expect(dated.steps[0]).not.toHaveProperty('retryAfter');
    expect((await test(answering({ status: 401, headers: { 'retry-after': '5' } }))).steps[0]).not.toHaveProperty(
      'retryAfter',
    );
  });
});
