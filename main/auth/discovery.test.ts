import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverServer } from './discovery';
import { startFakeOAuthServer, type FakeOAuthServer } from './fake-oauth-server.test-support';

let server: FakeOAuthServer;
beforeEach(async () => {
  server = await startFakeOAuthServer();
});
afterEach(async () => {
  await server.close();
});

describe('discoverServer', () => {
  it('reads RFC 8414 metadata first', async () => {
    server.answer('/.well-known/oauth-authorization-server', { status: 200, body: server.metadata() });
    const as = await discoverServer(server.url);
    expect(as.token_endpoint).toBe(`${server.url}/oauth/token`);
    expect(server.requests.map((request) => request.path)).toEqual(['/.well-known/oauth-authorization-server']);
  });

  it('falls back to OpenID Connect discovery', async () => {
    server.answer('/.well-known/openid-configuration', { status: 200, body: server.metadata() });
    const as = await discoverServer(server.url);
    expect(as.issuer).toBe(server.url);
    expect(server.requests.map((request) => request.path)).toEqual([
      '/.well-known/oauth-authorization-server',
      '/.well-known/openid-configuration',
    ]);
  });

  it('refuses metadata naming another issuer', async () => {
    server.answer('/.well-known/oauth-authorization-server', {
      status: 200,
      body: server.metadata({ issuer: 'https://attacker.example.com' }),
    });
    await expect(discoverServer(server.url)).rejects.toMatchObject({ code: 'AUTH_ISSUER_MISMATCH' });
  });

  it('refuses endpoints a browser should not be sent to', async () => {
    server.answer('/.well-known/oauth-authorization-server', {
      status: 200,
      body: server.metadata({ authorization_endpoint: 'javascript:alert(1)' }),
    });
    await expect(discoverServer(server.url)).rejects.toMatchObject({ code: 'AUTH_DISCOVERY_FAILED' });
  });

  it('says so when the server has no metadata or fails', async () => {
    await expect(discoverServer(server.url)).rejects.toMatchObject({ code: 'AUTH_DISCOVERY_FAILED' });
    server.answer('/.well-known/oauth-authorization-server', { status: 503, body: { error: 'unavailable' } });
    await expect(discoverServer(server.url)).rejects.toMatchObject({
      code: 'AUTH_DISCOVERY_FAILED',
      message: expect.stringContaining('HTTP 503'),
    });
  });

  it('says the server is unreachable when nothing listens', async () => {
    const url = server.url;
    await server.close();
    server = await startFakeOAuthServer();
    await expect(discoverServer(url)).rejects.toMatchObject({ code: 'AUTH_NETWORK' });
  });

  it('refuses plain http to another machine before any request', async () => {
    await expect(discoverServer('http://api.example.com')).rejects.toMatchObject({ code: 'AUTH_INSECURE_URL' });
  });
});
