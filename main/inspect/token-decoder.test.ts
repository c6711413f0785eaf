import { describe, expect, it } from 'vitest';
import { DecodedToken } from '../../common/contract/inspect';
import { REDACTED, SecretRedactor } from '../security/secret-redactor';
import {
  API_TOKEN_ID,
  APP_ID,
  DEVICE_ID,
  handMadeJwt,
  KEY_ID,
  mintApplicationApiToken,
  mintDeviceToken,
  mintJwt,
  mintOauthAccessToken,
  mintUserApiToken,
  USER_ID,
} from '../../test/integration/inspect/mint-tokens';
import { InspectError } from './inspect-error';
import { decodeToken } from './token-decoder';

const NOW = Date.parse('2025-03-14T09:00:00Z');
const now = () => NOW;
const HOUR = 3600;
const DAY = 24 * HOUR;

function decode(text: string) {
  return decodeToken(text, { now });
}

function codes(result: DecodedToken) {
  return result.warnings.map((warning) => warning.code);
}

function warning(result: DecodedToken, code: string) {
  return result.warnings.find((candidate) => candidate.code === code);
}

function failure(text: string): InspectError {
  try {
    decode(text);
  } catch (error) {
    if (error instanceof InspectError) return error;
    throw error;
  }
  throw new Error('decoded without an error');
}

describe('decodeToken: platform tokens', () => {
  it('reads a device token: whose it is, what it may do, and that it never expires', async () => {
    const token = await mintDeviceToken(NOW - 2 * DAY * 1000);
    const result = decode(token);
    expect(result).toMatchObject({
      format: 'jwt',
      kind: 'device',
      kindLabel: 'Device token',
      signatureVerified: false,
    });
    expect(result.header).toMatchObject({ alg: 'ES256', kid: 'sim-signing-key-1' });
    expect(result.claims).toMatchObject({ sub: DEVICE_ID, subtype: 'device', appId: APP_ID, keyId: KEY_ID });
    expect(result.subject.summary).toBe(`Device ${DEVICE_ID} in application ${APP_ID}`);
    expect(result.subject.facts).toEqual(
      expect.arrayContaining([
        { label: 'Device id', value: DEVICE_ID },
        { label: 'Application id', value: APP_ID },
        { label: 'Access key id', value: KEY_ID },
      ]),
    );
    expect(result.times).toMatchObject({
      status: 'neverExpires',
      issuedAt: '2025-03-12T09:00:00.000Z',
      issued: '2 days ago, at 2025-03-12T09:00:00.000Z',
      expiry: 'Never',
    });
    expect(warning(result, 'NEVER_EXPIRES')?.message).toMatch(
      /authenticates with its access key and secret at every boot/,
    );
    expect(result.scopes?.can).toContain('Report device state, for its own device only');
    expect(result.scopes?.cannot).toContain('Create access keys (device credentials)');
    expect(codes(result)).not.toContain('BROADER_THAN_NEEDED');
    expect(codes(result).at(-1)).toBe('SIGNATURE_NOT_VERIFIED');
  });

  it('warns when a token expires within a day, with what to do', async () => {
    const result = decode(await mintDeviceToken(NOW, 2 * HOUR));
    expect(result.times).toMatchObject({
      status: 'expiresSoon',
      expiresInSeconds: 2 * HOUR,
      expiry: 'In 2 h, at 2025-03-14T11:00:00.000Z',
    });
    expect(warning(result, 'EXPIRES_SOON')).toMatchObject({ severity: 'warning' });
    expect(warning(result, 'EXPIRES_SOON')?.message).toMatch(/^Expires in 2 h \(2025-03-14T11:00:00.000Z\)/);
    expect(warning(result, 'EXPIRES_SOON')?.message).toMatch(/POST \/auth\/device/);
    expect(codes(result)).not.toContain('NEVER_EXPIRES');
  });

  it('does not warn about a token with more than a day left', async () => {
    const result = decode(await mintDeviceToken(NOW, 2 * DAY));
    expect(result.times.status).toBe('valid');
    expect(codes(result)).toEqual(['SIGNATURE_NOT_VERIFIED']);
  });

  it('says an expired token gets 401 and how to replace it', async () => {
    const result = decode(
      await mintApplicationApiToken(NOW - 400 * DAY * 1000, ['all.Application.read'], NOW / 1000 - 3 * DAY),
    );
    expect(result.kind).toBe('applicationApi');
    expect(result.times).toMatchObject({
      status: 'expired',
      expiresInSeconds: -3 * DAY,
      expiry: 'Expired 3 days ago, at 2025-03-11T09:00:00.000Z',
    });
    expect(result.warnings[0]).toMatchObject({ code: 'EXPIRED', severity: 'danger' });
    expect(result.warnings[0]?.message).toMatch(/^Expired 3 days ago .* 401.*expiration date cannot be changed/);
  });

  it('flags an application API token with full application access as broader than needed', async () => {
    const result = decode(await mintApplicationApiToken(NOW, ['all.Application']));
    expect(result.subject.summary).toBe(`Application API token ${API_TOKEN_ID} in application ${APP_ID}`);
    expect(result.scopes?.broaderThan?.suggested).toEqual(['all.Application.bounded']);
    expect(warning(result, 'BROADER_THAN_NEEDED')?.message).toMatch(/all\.Application\.bounded would do/);
    expect(warning(result, 'NEVER_EXPIRES')?.message).toMatch(/deactivates or deletes it/);
  });

  it('reads a user API token and flags full organization access', async () => {
    const result = decode(await mintUserApiToken(NOW, ['all.Organization', 'only.User.read']));
    expect(result.kind).toBe('userApi');
    expect(result.subject.summary).toBe(`User API token ${API_TOKEN_ID} of user ${USER_ID}`);
    expect(result.scopes?.broaderThan?.categories).toEqual(['apiTokens', 'members', 'transfer']);
  });

  it('reads an OAuth access token: user, client, role cap, space-separated scopes', async () => {
    const result = decode(await mintOauthAccessToken(NOW, HOUR));
    expect(result.kind).toBe('oauthAccess');
    expect(result.header).toMatchObject({ typ: 'at+jwt' });
    expect(result.subject.summary).toBe(`OAuth access token of user ${USER_ID} for client keyline-station`);
    expect(result.subject.facts).toContainEqual({ label: 'Maximum role', value: 'collaborate' });
    expect(result.scopes?.scopes.map((scope) => scope.scope)).toEqual(['all.Application.bounded', 'only.User.read']);
    // Short lives are normal for access tokens: said, but not as a warning.
    expect(warning(result, 'EXPIRES_SOON')).toMatchObject({ severity: 'info' });
    expect(codes(result)).not.toContain('BROADER_THAN_NEEDED');
  });
});

describe('decodeToken: real-world variants', () => {
  it('tells a user token from an application token when subtype is just "apiToken"', async () => {
    const user = decode(await mintJwt({ sub: API_TOKEN_ID, subtype: 'apiToken', scope: ['only.User.read'] }));
    expect(user.kind).toBe('userApi');
    const either = decode(await mintJwt({ sub: API_TOKEN_ID, subtype: 'apiToken', scope: ['device.sendState'] }));
    expect(either.kind).toBe('api');
    expect(either.kindLabel).toBe('API token (application or user)');
  });

  it('recognises a device token without a subtype by its all.Device scope', async () => {
    const result = decode(await mintJwt({ sub: DEVICE_ID, scope: ['all.Device'], iat: NOW / 1000 }));
    expect(result.kind).toBe('device');
    expect(result.subject.summary).toBe(`Device ${DEVICE_ID}`);
  });

  it('recognises OAuth access tokens by client_id or the media-type form of typ', async () => {
    expect(decode(await mintJwt({ sub: USER_ID, client_id: 'x' })).kind).toBe('oauthAccess');
    expect(decode(await mintJwt({ sub: USER_ID }, { typ: 'application/at+jwt' })).kind).toBe('oauthAccess');
  });

  it('says a user session token acts with every permission of the user', async () => {
    const result = decode(
      await mintJwt({ sub: USER_ID, subtype: 'user', iat: NOW / 1000, exp: NOW / 1000 + 30 * DAY }),
    );
    expect(result.kind).toBe('userSession');
    expect(warning(result, 'BROADER_THAN_NEEDED')?.message).toMatch(/every permission of the user/);
  });

  it('says an experience user token cannot reach the platform API', async () => {
    const result = decode(await mintJwt({ sub: USER_ID, subtype: 'experienceUser', appId: APP_ID }));
    expect(result.kind).toBe('experienceUser');
    expect(result.warnings[0]).toMatchObject({ code: 'NOT_FOR_PLATFORM_API', severity: 'danger' });
  });

  it('reads an unrecognised JWT without failing, and says it has no scopes', async () => {
    const result = decode(await mintJwt({ sub: 'someone', hello: 'world' }));
    expect(result.kind).toBe('unknown');
    expect(result.scopes).toBeNull();
    expect(warning(result, 'NO_SCOPES')).toMatchObject({ severity: 'info' });
    expect(result.subject.summary).toBe('Subject someone');
  });

  it('lists scopes it does not know', async () => {
    const result = decode(await mintApplicationApiToken(NOW, ['all.Device', 'all.Application.cli']));
    expect(warning(result, 'UNKNOWN_SCOPES')?.message).toMatch(/all\.Application\.cli/);
  });
});

describe('decodeToken: suspicious tokens', () => {
  it('calls out an unsigned token', () => {
    const result = decode(handMadeJwt({ alg: 'none' }, { sub: DEVICE_ID, subtype: 'device', scope: ['all.Device'] }));
    expect(result.warnings[0]).toMatchObject({ code: 'UNSIGNED', severity: 'danger' });
  });

  it('notices clocks that disagree', async () => {
    const future = decode(await mintDeviceToken(NOW + 2 * HOUR * 1000));
    expect(warning(future, 'ISSUED_IN_FUTURE')?.message).toMatch(/Issued 2 h in the future/);
    const notYet = decode(await mintJwt({ sub: 'x', subtype: 'apiToken', nbf: NOW / 1000 + DAY }));
    expect(notYet.times.status).toBe('notYetValid');
    expect(warning(notYet, 'NOT_YET_VALID')).toMatchObject({ severity: 'danger' });
  });

  it('reports time claims that are not times instead of failing', async () => {
    for (const exp of ['tomorrow', 1e20, -1e20, { at: 1 }]) {
      const result = decode(handMadeJwt({ alg: 'ES256' }, { sub: 'x', subtype: 'apiToken', exp, iat: 'now' }, 'c2ln'));
      expect(result.times.status).toBe('unknown');
      expect(result.times.expiresAt).toBeUndefined();
      expect(codes(result).filter((code) => code === 'BAD_TIME_CLAIM')).toHaveLength(2);
      expect(codes(result)).not.toContain('NEVER_EXPIRES');
    }
  });

  it('keeps hostile claims as plain data', async () => {
    const claims = JSON.parse('{"__proto__": {"polluted": true}, "sub": "<img src=x onerror=alert(1)>"}') as object;
    const result = decode(handMadeJwt({ alg: 'ES256' }, claims, 'c2ln'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.hasOwn(result.claims!, '__proto__')).toBe(true);
    expect(result.claims!['sub']).toBe('<img src=x onerror=alert(1)>');
  });

  it('cuts claims nested deeper than any real token', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 2000; level += 1) deep = [deep];
    const result = decode(handMadeJwt({ alg: 'ES256' }, { sub: 'x', deep }, 'c2ln'));
    expect(JSON.stringify(result.claims)).toContain('[nested too deep to show]');
    expect(DecodedToken.safeParse(result).success).toBe(true);
  });
});

describe('decodeToken: what was pasted', () => {
  it('finds the token inside what people copy around it', async () => {
    const token = await mintDeviceToken(NOW);
    const wrapped = token.match(/.{1,60}/g)!.join('\n');
    for (const pasted of [`  ${token}\n`, `Bearer ${token}`, `Authorization: Bearer ${token}`, `"${token}"`, wrapped]) {
      expect(decode(pasted).kind).toBe('device');
    }
  });

  it('gives typed errors for input that holds no token', () => {
    expect(failure('').code).toBe('INSPECT_TOKEN_EMPTY');
    expect(failure('  \n\t ').code).toBe('INSPECT_TOKEN_EMPTY');
    expect(failure('Bearer ').code).toBe('INSPECT_TOKEN_EMPTY');
    expect(failure('x'.repeat(16 * 1024 + 1)).code).toBe('INSPECT_TOKEN_TOO_LARGE');
    expect(failure('<!doctype html><html><body>Sign in</body></html>').code).toBe('INSPECT_NOT_A_TOKEN');
    expect(failure('<html>eyJhbGciOiJFUzI1NiJ9.e30.c2ln</html>').code).toBe('INSPECT_NOT_A_TOKEN');
    expect(failure('my device gets 401, please help').code).toBe('INSPECT_NOT_A_TOKEN');
    expect(failure('abc123').code).toBe('INSPECT_NOT_A_TOKEN');
    expect(failure('\u0000\u0001\u0002garbage\uffff').code).toBe('INSPECT_NOT_A_TOKEN');
  });

  it('says a JWT is damaged when its parts do not decode', () => {
    expect(failure('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4.c2ln').code).toBe('INSPECT_TOKEN_MALFORMED');
    expect(failure('eyJub3QganNvbg.eyJzdWIiOiJ4In0.c2ln').code).toBe('INSPECT_TOKEN_MALFORMED');
    expect(failure(handMadeJwt({ alg: 'ES256' }, [1, 2, 3], 'c2ln')).code).toBe('INSPECT_TOKEN_MALFORMED');
    expect(failure(handMadeJwt({ alg: 'ES256' }, 'just text', 'c2ln')).code).toBe('INSPECT_TOKEN_MALFORMED');
    expect(failure('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0').code).toBe('INSPECT_TOKEN_MALFORMED');
    expect(failure('eyJhbGciOiJFUzI1NiJ9eyJzdWIiOiJ4In0').code).toBe('INSPECT_TOKEN_MALFORMED');
  });

  it('reads an opaque token as opaque, without pretending to know more', () => {
    const result = decode('Zq3vY0mJc9c7W0b1x2y3zA4B5C6D7E8F9G0H1I2J3K4');
    expect(result).toMatchObject({ format: 'opaque', kind: 'opaque', header: null, claims: null, scopes: null });
    expect(result.times.status).toBe('unknown');
    expect(codes(result)).toEqual(['NOT_A_JWT', 'SIGNATURE_NOT_VERIFIED']);
  });

  it('shows the header of an encrypted token and says its claims cannot be read', () => {
    const jwe = `${Buffer.from(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM' })).toString('base64url')}.a.b.c.d`;
    const result = decode(jwe);
    expect(result).toMatchObject({ format: 'jwe', kind: 'encrypted', header: { alg: 'RSA-OAEP' }, claims: null });
    expect(codes(result)).toContain('ENCRYPTED');
  });

  it('always fits the contract', async () => {
    const samples = [
      await mintDeviceToken(NOW),
      await mintOauthAccessToken(NOW, HOUR),
      await mintUserApiToken(NOW, ['all.User']),
      handMadeJwt({ alg: 'none' }, { a: [1, { b: null }], c: 1.5 }),
      'Zq3vY0mJc9c7W0b1x2y3zA4B5C6D7E8F9G0H1I2J3K4',
    ];
    for (const sample of samples) expect(DecodedToken.safeParse(decode(sample)).success).toBe(true);
  });
});

describe('decodeToken: the token stays secret', () => {
  it('never returns the token, its signature or its encoded parts', async () => {
    for (const token of [
      await mintDeviceToken(NOW),
      await mintOauthAccessToken(NOW, HOUR),
      await mintApplicationApiToken(NOW, ['all.Application']),
      'Zq3vY0mJc9c7W0b1x2y3zA4B5C6D7E8F9G0H1I2J3K4',
    ]) {
      const shown = JSON.stringify(decode(`Bearer ${token}`));
      expect(shown).not.toContain(token);
      for (const part of token.split('.')) expect(shown).not.toContain(part);
    }
  });

  it('never puts the input in an error message', async () => {
    const damaged = (await mintDeviceToken(NOW)).slice(0, -120);
    for (const text of [damaged, 'secret-looking but spaced out value 0123456789abcdef', `<p>${'k'.repeat(40)}</p>`]) {
      let message = '';
      try {
        decode(text);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      for (const word of text.split(/[\s<>/]+/).filter((part) => part.length >= 8)) expect(message).not.toContain(word);
    }
  });

  it('holds the token in the redactor during the call and releases it after', async () => {
    const token = await mintDeviceToken(NOW);
    const signature = token.split('.')[2]!;
    const redactor = new SecretRedactor();
    const seen: string[] = [];
    decodeToken(`Bearer ${token}`, {
      redactor,
      // The clock is read mid-call: what a log line written then would show.
      now: () => {
        seen.push(redactor.redact(`line with ${token} and ${signature}`));
        return NOW;
      },
    });
    expect(seen).toEqual([`line with ${REDACTED} and ${REDACTED}`]);
    expect(redactor.size).toBe(0);
    expect(redactor.redact(token)).toBe(token);
  });

  it('releases the token from the redactor when decoding fails', () => {
    const redactor = new SecretRedactor();
    expect(() => decodeToken('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4.c2lnbmF0dXJl', { redactor, now })).toThrow(
      InspectError,
    );
    expect(redactor.size).toBe(0);
  });
});
