import { describe, expect, it } from 'vitest';
import { needsInsecureRequests, normalizeApiUrl, parseServerUrl } from './server-url';

describe('server URLs', () => {
  it('accepts https anywhere and plain http only on this machine', () => {
    expect(parseServerUrl('https://api.losant.com', 'x').host).toBe('api.losant.com');
    expect(parseServerUrl('http://127.0.0.1:4000', 'x').port).toBe('4000');
    expect(parseServerUrl('http://[::1]:4000', 'x').hostname).toBe('[::1]');
    for (const bad of ['http://api.losant.com', 'ftp://127.0.0.1', 'javascript:alert(1)', 'not a url']) {
      expect(() => parseServerUrl(bad, 'The API URL')).toThrow(expect.objectContaining({ code: 'AUTH_INSECURE_URL' }));
    }
  });

  it('refuses credentials in the address', () => {
    expect(() => parseServerUrl('https://user:pw@api.losant.com', 'x')).toThrow(
      expect.objectContaining({ code: 'AUTH_INSECURE_URL' }),
    );
  });

  it('normalizes the API URL into an issuer identifier', () => {
    expect(normalizeApiUrl(' https://api.losant.com/ ')).toBe('https://api.losant.com');
    expect(normalizeApiUrl('http://127.0.0.1:9/base/?q=1#f')).toBe('http://127.0.0.1:9/base');
  });

  it('allows insecure requests only for the loopback sandbox', () => {
    expect(needsInsecureRequests(new URL('http://127.0.0.1:1'))).toBe(true);
    expect(needsInsecureRequests(new URL('https://127.0.0.1:1'))).toBe(false);
  });
});
