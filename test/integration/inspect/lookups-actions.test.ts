/**
 * Platform lookups and actions as support staff use them, through a real sign-in (the station's
 * AuthService against the simulator's OAuth server) and the simulator's REST API: what each role
 * may see and change, what the confirmation says, and that every action is journaled.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '../platform/helpers';
import { createKey, createPlatformDevice, signInAs, startBench, type Bench, type SignedIn } from './support';

let bench: Bench;
let technician: SignedIn;
let support: SignedIn;

beforeAll(async () => {
  bench = await startBench();
  technician = await signInAs(bench, bench.sim.seed.technician, 'collaborate');
  support = await signInAs(bench, bench.sim.seed.support, 'view');
}, 60_000);
afterAll(async () => {
  await technician?.close();
  await support?.close();
  await bench?.close();
});

async function journalRecords(): Promise<Array<Record<string, unknown>>> {
  const dir = path.join(bench.dataDir, 'journal');
  const files = await readdir(dir).catch(() => []);
  const text = (await Promise.all(files.map((file) => readFile(path.join(dir, file), 'utf8')))).join('');
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('who the lookups run as, and what they may do', () => {
  it('a technician (collaborate, bounded scopes) may manage keys but not API or OAuth tokens', async () => {
    const access = await technician.service.access();
    expect(access).toMatchObject({
      source: 'session',
      apiUrl: bench.sim.url,
      application: { id: bench.appId, name: bench.sim.seed.applicationName },
      role: 'collaborate',
      readOnly: false,
      can: {
        readDevices: true,
        readKeys: true,
        manageKeys: true,
        readApiTokens: true,
        manageApiTokens: false,
        readOauthTokens: true,
        manageOauthTokens: false,
      },
      problem: null,
    });
    expect(access.who).toContain(bench.sim.seed.technician.email);
    expect(access.notes.join(' ')).toMatch(/bounded scopes leave out managing tokens/);
  });

  it('a support engineer (view) is read-only: every action hidden, with the reason', async () => {
    const access = await support.service.access();
    expect(access.role).toBe('view');
    expect(access.readOnly).toBe(true);
    expect(access.can).toMatchObject({ readKeys: true, manageKeys: false, readDevices: true });
    expect(access.notes.join(' ')).toMatch(/Your role here is "view"; to deactivate, reactivate or delete access keys/);
  });

  it("an API token's scopes decide too: the seed's read-only application token", async () => {
    const token = bench.sim.seed.apiTokens.find((candidate) => candidate.name.startsWith('Reporting dashboard'))!.token;
    const access = await bench.service({ token }).access();
    expect(access).toMatchObject({ source: 'apiToken', readOnly: true, application: { id: bench.appId } });
    expect(access.can.manageKeys).toBe(false);
  });

  it('nobody signed in: the answer says so instead of failing', async () => {
    const signedOut = await signInAs(bench, bench.sim.seed.technician);
    await signedOut.auth.signOut();
    const access = await signedOut.service.access();
    await signedOut.close();
    expect(access).toMatchObject({ source: 'none', readOnly: true, problem: { code: 'INSPECT_NO_PLATFORM' } });
  });
});

describe('lookups', () => {
  it('access keys: key, restriction in words, status, created by and when; never a secret', async () => {
    const listed = await support.service.keys();
    const byName = (name: string) => listed.items.find((key) => key.name?.startsWith(name));
    const probe = bench.sim.seed.devices.find((device) => device.name.startsWith('CCS-1001'))!;
    expect(byName('keyline run 2024-bench-0001')?.restriction).toMatchObject({
      kind: 'devices',
      deviceIds: [probe.id],
      words: `Only device ${probe.id}`,
    });
    expect(byName('Line 3 devices')?.restriction).toMatchObject({ kind: 'tags', words: 'Devices tagged line=3' });
    expect(byName('Workshop key')?.restriction.words).toBe('Every device of the application (no restriction)');
    expect(byName('Retired bench key')?.status).toBe('inactive');
    expect(byName('Leaked key')).toBeUndefined();
    expect(byName('Workshop key')?.createdBy).toMatch(/user [0-9a-f]{24}/);
    const text = JSON.stringify(listed);
    for (const key of bench.sim.seed.accessKeys) expect(text).not.toContain(key.secret);
  });

  it('application API tokens: scope summary in plain words, creator, expiration, status; never the token', async () => {
    const listed = await support.service.apiTokens();
    const all = listed.items.find((token) => token.name === 'Sandbox all-permissions token')!;
    const read = listed.items.find((token) => token.name.startsWith('Reporting dashboard'))!;
    const expired = listed.items.find((token) => token.name.startsWith('Line 2 dashboard'))!;
    expect(all).toMatchObject({ status: 'active', expiry: 'Never', expired: false, scopes: ['all.Application'] });
    expect(all.scopeSummary).toMatch(/application/i);
    expect(read.scopeSummary).toMatch(/read/i);
    expect(read.expiry).toMatch(/^In \d+ days, at /);
    expect(expired).toMatchObject({ expired: true });
    expect(expired.expiry).toMatch(/^Expired 30 days ago/);
    expect(all.creator).not.toBe('Unknown');
    const text = JSON.stringify(listed);
    for (const token of bench.sim.seed.apiTokens) expect(text).not.toContain(token.token);
  });

  it("the user's OAuth tokens: client, role cap, created, status, pending, and which one is this station", async () => {
    await authorize(bench.sim, { user: bench.sim.seed.technician, maxRole: 'view' });
    const listed = await technician.service.oauthTokens();
    const own = listed.items.filter((token) => token.thisStation);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({
      clientId: bench.sim.seed.oauthClientId,
      clientName: 'Keyline provisioning station',
      roleCap: 'collaborate',
      status: 'active',
      pending: false,
    });
    expect(listed.items.some((token) => token.pending && token.roleCap === 'view')).toBe(true);
  });

  it('devices: class, whether it may connect, tags; one device with its log, last state and keys', async () => {
    const listed = await support.service.devices(undefined, 'CCS-*');
    expect(listed.items.map((device) => device.name)).toEqual(
      expect.arrayContaining(['CCS-1001 reefer probe', 'CCS-1002 reefer probe', 'CCS-E200 embedded probe']),
    );
    const all = await support.service.devices();
    const door = all.items.find((device) => device.deviceClass === 'peripheral')!;
    expect(door.canConnect).toBe(false);

    const probe = listed.items.find((device) => device.name.startsWith('CCS-1001'))!;
    const workshop = bench.sim.seed.accessKeys.find((key) => key.name?.startsWith('Workshop'))!;
    await fetch(`${bench.sim.url}/auth/device`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: probe.id, key: workshop.key, secret: 'wrong-secret' }),
    });
    const detail = await support.service.device(probe.id);
    expect(detail.device).toMatchObject({ deviceClass: 'standalone', canConnect: true });
    expect(detail.classWords).toMatch(/^Standalone/);
    expect(detail.connectionLog[0]).toMatchObject({
      connected: false,
      reason: 'Access secret does not match the access key',
    });
    expect(detail.lastState).not.toBeNull();
    expect(detail.keys?.map((key) => key.name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^keyline run/),
        expect.stringMatching(/^Line 3/),
        expect.stringMatching(/^Workshop/),
      ]),
    );
  });
});

describe('actions', () => {
  it('the confirmation says what stops working: devices restricted to the key, by name', async () => {
    const device = await createPlatformDevice(bench, 'CONFIRM-1');
    const key = await createKey(bench, [device.id], 'keyline-run-confirm');
    const target = { kind: 'accessKey' as const, applicationId: bench.appId, id: key.id };
    const preview = await technician.service.preview(target, 'deactivate');
    expect(preview).toMatchObject({
      allowed: true,
      notAllowedReason: null,
      irreversible: false,
      confirmLabel: 'Deactivate key',
    });
    expect(preview.consequence).toBe(
      `Devices using access key "keyline-run-confirm" (${key.key}, id ${key.id}) will fail to authenticate at their next connection: 1 device is restricted to it: probe CONFIRM-1 (${device.id}).`,
    );
    expect(preview.details.join(' ')).toMatch(/Keyline minted this key in run run-confirm/);
    const deletion = await technician.service.preview(target, 'delete');
    expect(deletion.irreversible).toBe(true);
    expect(deletion.details.join(' ')).toMatch(/cannot be restored/);
  });

  it('a technician deactivates and reactivates a key: done on the platform, and journaled', async () => {
    const device = await createPlatformDevice(bench, 'ACTION-1');
    const key = await createKey(bench, [device.id]);
    const target = { kind: 'accessKey' as const, applicationId: bench.appId, id: key.id };
    expect(await technician.service.run(target, 'deactivate')).toMatchObject({ outcome: 'done', journaled: true });
    expect((await bench.admin.keys.get(bench.appId, key.id)).status).toBe('inactive');
    expect(await technician.service.run(target, 'reactivate')).toMatchObject({ outcome: 'done' });
    expect((await bench.admin.keys.get(bench.appId, key.id)).status).toBe('active');
    const records = (await journalRecords()).filter((record) => record.accessKeyId === key.id);
    expect(records).toEqual([
      expect.objectContaining({
        kind: 'inspect',
        action: 'deactivate-access-key',
        result: 'done',
        operator: bench.sim.seed.technician.email,
      }),
      expect.objectContaining({ kind: 'inspect', action: 'reactivate-access-key', result: 'done' }),
    ]);
  });

  it('a support engineer is told "not allowed for you", with the reason, and nothing changes', async () => {
    const device = await createPlatformDevice(bench, 'ACTION-2');
    const key = await createKey(bench, [device.id]);
    const target = { kind: 'accessKey' as const, applicationId: bench.appId, id: key.id };
    const preview = await support.service.preview(target, 'delete');
    expect(preview.allowed).toBe(false);
    expect(preview.notAllowedReason).toMatch(/role here is "view"/);
    const outcome = await support.service.run(target, 'delete');
    expect(outcome).toMatchObject({ outcome: 'notAllowed', message: 'Not allowed for you.', journaled: true });
    expect(outcome.reason).toMatch(/The platform refused it \(40[13]\)/);
    expect((await bench.admin.keys.get(bench.appId, key.id)).status).toBe('active');
    const record = (await journalRecords()).find((candidate) => candidate.accessKeyId === key.id);
    expect(record).toMatchObject({
      action: 'delete-access-key',
      result: 'not-allowed',
      error: { code: expect.stringMatching(/^PLATFORM_/) },
    });
  });

  it('a 403 instead of 401 for a missing scope is "not allowed" too', async () => {
    bench.sim.updateSettings({ missingScopeStatus: 403 });
    try {
      const token = bench.sim.seed.apiTokens.find((candidate) => candidate.name.startsWith('Reporting dashboard'))!;
      const key = await createKey(bench, []);
      const outcome = await technician.service.run(
        { kind: 'apiToken', applicationId: bench.appId, id: token.id },
        'deactivate',
      );
      expect(outcome).toMatchObject({ outcome: 'notAllowed' });
      expect(outcome.reason).toContain('(403)');
      const readOnly = bench.service({ token: token.token });
      expect(
        await readOnly.run({ kind: 'accessKey', applicationId: bench.appId, id: key.id }, 'deactivate'),
      ).toMatchObject({
        outcome: 'notAllowed',
      });
    } finally {
      bench.sim.updateSettings({ missingScopeStatus: 401 });
    }
  });

  it('an administrator deletes an application API token: gone for good, journaled without the token', async () => {
    const admin = await signInAs(bench, bench.sim.seed.admin!, 'admin');
    try {
      const created = await bench.admin
        .applicationApiTokens(bench.appId)
        .create({ name: 'Throwaway', scope: ['all.Application.read'] });
      const target = { kind: 'apiToken' as const, applicationId: bench.appId, id: created.value.id };
      const access = await admin.service.access();
      // OAuth tokens are bounded at most: token management stays outside them, whatever the role.
      expect(access.can.manageApiTokens).toBe(false);
      const outcome = await admin.service.run(target, 'delete');
      expect(outcome.outcome).toBe('notAllowed');
      const withToken = bench.service();
      const preview = await withToken.preview(target, 'delete');
      expect(preview.consequence).toMatch(/will get 401 Unauthorized from their next request, for good/);
      expect(await withToken.run(target, 'delete')).toMatchObject({ outcome: 'done' });
      await expect(bench.admin.applicationApiTokens(bench.appId).get(created.value.id)).rejects.toMatchObject({
        code: 'PLATFORM_NOT_FOUND',
      });
      const text = JSON.stringify(await journalRecords());
      expect(text).not.toContain(created.value.token);
      expect(text).toContain(created.value.id);
    } finally {
      await admin.close();
    }
  });

  it("a user API token (all.User) deactivates, reactivates and deletes the user's OAuth token", async () => {
    const admin = await signInAs(bench, bench.sim.seed.admin!, 'admin');
    try {
      const dana = bench.sim.seed.apiTokens.find((candidate) => candidate.name === "Dana's automation token")!.token;
      const asDana = bench.service({ token: dana });
      expect((await asDana.access()).can).toMatchObject({ readOauthTokens: true, manageOauthTokens: true });
      const listed = await asDana.oauthTokens();
      // The newest authorized token of the station's client is this sign-in's (an earlier test signed in too).
      const stations = listed.items
        .filter((token) => token.clientId === bench.sim.seed.oauthClientId && !token.pending)
        .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''));
      expect(stations.length).toBeGreaterThan(0);
      const target = { kind: 'oauthToken' as const, id: stations[0]!.id };
      expect((await asDana.preview(target, 'deactivate')).consequence).toMatch(
        /"Keyline provisioning station" will get 401 Unauthorized on its next request with this token/,
      );
      expect(await asDana.run(target, 'deactivate')).toMatchObject({ outcome: 'done' });
      // The signed-in station is refused at once: its lookups say why instead of failing oddly.
      await expect(admin.service.keys()).rejects.toMatchObject({ code: expect.stringMatching(/^(PLATFORM_|AUTH_)/) });
      expect(await asDana.run(target, 'reactivate')).toMatchObject({ outcome: 'done' });
      expect(await asDana.run(target, 'delete')).toMatchObject({ outcome: 'done' });
      expect((await asDana.oauthTokens()).items.some((token) => token.id === target.id)).toBe(false);
      const actions = (await journalRecords()).filter(
        (record) => (record.detail as { targetId?: string } | undefined)?.targetId === target.id,
      );
      expect(actions.map((record) => record.action)).toEqual([
        'deactivate-oauth-token',
        'reactivate-oauth-token',
        'delete-oauth-token',
      ]);
    } finally {
      await admin.close();
    }
  });

  it("the confirmation warns before cutting the station's own sign-in", async () => {
    const listed = await technician.service.oauthTokens();
    const own = listed.items.find((token) => token.thisStation)!;
    const preview = await technician.service.preview({ kind: 'oauthToken', id: own.id }, 'delete');
    expect(preview.allowed).toBe(false);
    expect(preview.consequence).toMatch(/"Keyline provisioning station" loses access to your account at once/);
    expect(preview.details.join(' ')).toMatch(/this station's own sign-in/);
  });
});
