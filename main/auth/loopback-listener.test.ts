import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { CALLBACK_PATH, startLoopbackListener } from './loopback-listener';

function get(url: string, host?: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, headers: host ? { host } : {} }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    request.on('error', reject);
  });
}

describe('loopback redirect listener', () => {
  it('listens on 127.0.0.1 with an ephemeral port and the callback path', async () => {
    const listener = await startLoopbackListener({ timeoutMs: 5000 });
    try {
      expect(listener.redirectUri).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${CALLBACK_PATH}$`));
      expect(Number(new URL(listener.redirectUri).port)).toBeGreaterThan(1023);
    } finally {
      await listener.close();
    }
  });

  it('accepts exactly one callback, shows a page without the code, then closes', async () => {
    const listener = await startLoopbackListener({ timeoutMs: 5000 });
    const answer = get(`${listener.redirectUri}?code=the-secret-code&state=s1`);
    const callback = await listener.callback;
    expect(callback.params.get('code')).toBe('the-secret-code');
    await callback.respond({ ok: true });
    const page = await answer;
    expect(page.status).toBe(200);
    expect(page.body).toContain('You are signed in');
    expect(page.body).not.toContain('the-secret-code');
    expect(page.headers['cache-control']).toBe('no-store');
    await expect(get(`${listener.redirectUri}?code=again&state=s1`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('ignores stray requests such as a favicon and keeps waiting', async () => {
    const listener = await startLoopbackListener({ timeoutMs: 5000 });
    const origin = new URL(listener.redirectUri).origin;
    expect((await get(`${origin}/favicon.ico`)).status).toBe(404);
    void get(`${listener.redirectUri}?code=c&state=s`);
    const callback = await listener.callback;
    await callback.respond({ ok: false, message: 'State <mismatch>.' });
  });

  it('fails at once when the redirect comes back to another path', async () => {
    const listener = await startLoopbackListener({ timeoutMs: 5000 });
    const origin = new URL(listener.redirectUri).origin;
    const page = await get(`${origin}/elsewhere?code=c&state=s`);
    expect(page.status).toBe(400);
    await expect(listener.callback).rejects.toMatchObject({ code: 'AUTH_CALLBACK_WRONG_PATH' });
  });

  it('refuses a request naming another host (DNS rebinding)', async () => {
    const listener = await startLoopbackListener({ timeoutMs: 5000 });
    try {
      expect((await get(`${listener.redirectUri}?code=c&state=s`, 'evil.example.com')).status).toBe(421);
    } finally {
      await listener.close();
    }
  });

  it('gives up after its time limit (the browser was closed)', async () => {
    const listener = await startLoopbackListener({ timeoutMs: 100 });
    await expect(listener.callback).rejects.toMatchObject({ code: 'AUTH_TIMEOUT' });
    await expect(get(listener.redirectUri)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('stops when the sign-in is cancelled', async () => {
    const controller = new AbortController();
    const listener = await startLoopbackListener({ timeoutMs: 5000, signal: controller.signal });
    controller.abort();
    await expect(listener.callback).rejects.toMatchObject({ code: 'AUTH_CANCELLED' });
  });

  it('escapes the message on the outcome page', async () => {
    const listener = await startLoopbackListener({ timeoutMs: 5000 });
    const answer = get(`${listener.redirectUri}?error=access_denied&state=s`);
    await (await listener.callback).respond({ ok: false, message: '<script>alert(1)</script>' });
    const page = await answer;
    expect(page.body).not.toContain('<script>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
