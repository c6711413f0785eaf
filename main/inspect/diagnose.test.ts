import { describe, expect, it } from 'vitest';
import type { CauseCode } from '../../common/contract/inspect';
import type { ApplicationKey, Device } from '../platform';
import type { DeviceInfo, TestReport } from '../serial';
import { judge } from './diagnose';
import type { DiagnosisFacts } from './diagnosis-facts';

const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const APP = 'a'.repeat(24);
const DEVICE = 'd'.repeat(24);
const KEY_ID = 'e'.repeat(24);

const device = (overrides: Partial<Device> = {}): Device => ({
  id: DEVICE,
  deviceId: DEVICE,
  applicationId: APP,
  name: 'probe',
  deviceClass: 'standalone',
  tags: [{ key: 'hwid', value: 'HW-1' }],
  attributes: [],
  ...overrides,
});

const key = (overrides: Partial<ApplicationKey> = {}): ApplicationKey => ({
  id: KEY_ID,
  applicationKeyId: KEY_ID,
  applicationId: APP,
  key: 'key-1',
  status: 'active',
  deviceIds: [DEVICE],
  ...overrides,
});

function info(overrides: Partial<DeviceInfo> = {}): DeviceInfo {
  return {
    ok: true,
    proto: 1,
    model: 'KL',
    hwid: 'HW-1',
    fw: '1.0',
    caps: ['test'],
    maxPayload: 16384,
    clock: { unix: NOW / 1000, valid: true },
    uptimeMs: 1000,
    boots: 1,
    slots: {
      active: { deviceId: DEVICE, key: 'key-1', keyId: KEY_ID, fp: '0123456789abcdef' },
      staged: null,
      previous: null,
      pending: false,
    },
    clockSkewMs: 0,
    version: 1,
    ...overrides,
  };
}

const report = (auth: number, error?: 'NO_NETWORK' | 'CLOCK_INVALID'): TestReport => ({
  slot: 'active',
  passed: auth === 200,
  steps: [
    { step: 'auth', status: auth, ms: 10, ...(error ? { error } : {}) },
    ...(auth === 200 ? [{ step: 'state' as const, status: 200, ms: 10 }] : []),
  ],
  ...(auth === 200 ? {} : { failure: error ?? 'AUTH_REJECTED' }),
});

function facts(overrides: Partial<DiagnosisFacts> = {}, test: TestReport | null = report(200)): DiagnosisFacts {
  return {
    now: NOW,
    probe: { port: '/dev/ttyUSB0', info: info(), test: test ? { report: test } : null },
    deviceId: DEVICE,
    applicationId: APP,
    device: { state: 'found', value: device() },
    byHwid: { state: 'found', value: [device()] },
    keyOrigin: 'device',
    keyId: KEY_ID,
    key: { state: 'found', value: key() },
    keysForDevice: { state: 'unknown', reason: 'not read' },
    log: { state: 'found', value: [] },
    history: null,
    notes: [],
    ...overrides,
  };
}

const holding = (input: DiagnosisFacts): CauseCode[] =>
  judge(input)
    .filter((item) => item.status === 'holds')
    .map((item) => item.cause);

describe('judging the causes from the facts', () => {
  it('a healthy unit: every check clear', () => {
    expect(judge(facts()).every((item) => item.status === 'clear')).toBe(true);
  });

  it('a 401 explained by an inactive key is not blamed on the secret', () => {
    const checks = judge(facts({ key: { state: 'found', value: key({ status: 'inactive' }) } }, report(401)));
    expect(checks.filter((item) => item.status === 'holds').map((item) => item.cause)).toEqual(['KEY_INACTIVE']);
    expect(checks.find((item) => item.cause === 'SECRET_MISMATCH')?.status).toBe('unknown');
  });

  it('a 401 nothing else explains is the secret', () => {
    expect(holding(facts({}, report(401)))).toEqual(['SECRET_MISMATCH']);
  });

  it('a matching journaled fingerprint clears the secret even without a test', () => {
    const history = {
      runId: 'run-1',
      time: '2025-02-01T00:00:00.000Z',
      hwid: 'HW-1',
      deviceId: DEVICE,
      applicationId: APP,
      accessKeyId: KEY_ID,
      fingerprintPrefix: '0123456789abcdef',
    };
    const checks = judge(facts({ history }, null));
    expect(checks.find((item) => item.cause === 'SECRET_MISMATCH')?.status).toBe('clear');
    expect(holding(facts({ history: { ...history, fingerprintPrefix: 'ffff' } }, null))).toEqual(['SECRET_MISMATCH']);
  });

  it('a valid clock an hour off is far off; a minute is not', () => {
    const off = facts({ probe: { port: 'p', info: info({ clockSkewMs: -3_600_000 }), test: null } });
    const check = judge(off).find((item) => item.cause === 'CLOCK_FAR_OFF')!;
    expect(check.status).toBe('holds');
    expect(check.finding).toMatch(/1 h behind the station's/);
    const close = facts({ probe: { port: 'p', info: info({ clockSkewMs: 60_000 }), test: null } });
    expect(judge(close).find((item) => item.cause === 'CLOCK_FAR_OFF')?.status).toBe('clear');
  });

  it('no credentials leaves nothing else to blame', () => {
    const empty = info({ slots: { active: null, staged: null, previous: null, pending: false } });
    const input = facts({
      probe: { port: 'p', info: empty, test: { skipped: 'nothing to test' } },
      key: { state: 'missing' },
    });
    expect(holding(input)).toEqual(['NO_CREDENTIALS']);
  });

  it('by id with no key known: a connection log refusal names the cause', () => {
    const input = facts({
      probe: null,
      keyOrigin: null,
      keyId: null,
      key: { state: 'unknown', reason: 'not known' },
      byHwid: { state: 'unknown', reason: 'no serial' },
      log: {
        state: 'found',
        value: [
          { connected: 0, time: '2025-03-01T11:00:00.000Z', disconnectReason: 'Access key does not allow this device' },
        ],
      },
    });
    const checks = judge(input);
    expect(checks.filter((item) => item.status === 'holds').map((item) => item.cause)).toEqual([
      'KEY_RESTRICTED_TO_OTHER_DEVICES',
    ]);
    expect(checks.find((item) => item.cause === 'CLOCK_FAR_OFF')?.status).toBe('unknown');
  });

  it('by id: no key of the application lets the device in', () => {
    const input = facts({
      probe: null,
      keyOrigin: null,
      keyId: null,
      key: { state: 'unknown', reason: 'not known' },
      keysForDevice: { state: 'found', value: [] },
    });
    expect(holding(input)).toEqual(['KEY_RESTRICTED_TO_OTHER_DEVICES']);
  });
});
