import { describe, expect, it } from 'vitest';
import { Router } from './router';

describe('Router', () => {
  const router = new Router<string>()
    .add('GET', '/applications/:applicationId/devices', 'list')
    .add('POST', '/applications/:applicationId/devices', 'create')
    .add('GET', '/applications/:applicationId/devices/:deviceId', 'read');

  it('matches whole segments and decodes parameters', () => {
    expect(router.match('GET', '/applications/a%20b/devices/d1')).toEqual({
      kind: 'found',
      handler: 'read',
      params: { applicationId: 'a b', deviceId: 'd1' },
    });
    expect(router.match('GET', '/applications/x/devices/')).toMatchObject({ kind: 'found', handler: 'list' });
  });

  it('tells a wrong method from a missing route', () => {
    expect(router.match('DELETE', '/applications/x/devices')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['GET', 'POST'],
    });
    expect(router.match('GET', '/applications/x/devicesx')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/applications/%E0%A4%A/devices')).toEqual({ kind: 'not-found' });
  });
});
