/**
 * Builds the situations support calls are about, with the real parts: the platform simulator over
 * HTTP, simulated devices on socat ptys reached through the station's own serial link, and a
 * journal in a temporary data directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuthService, MemorySecretStore, SANDBOX_PROFILE_ID } from '../../../main/auth';
import {
  dataDirInspectJournal,
  InspectService,
  sessionPlatformSource,
  tokenPlatformSource,
  type InspectJournal,
} from '../../../main/inspect';
import { PlatformClient, staticTokenSource, type Device } from '../../../main/platform';
import { openJournal } from '../../../main/provisioning/journal';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { SerialLink } from '../../../main/serial';
import { acquireDataDirLock } from '../../../main/storage/data-dir-lock';
import { startDeviceSimulator, type DeviceSimulator } from '../../../simulators/device';
import { startPlatformSimulator, type RunningPlatformSimulator } from '../../../simulators/platform';
import { Browser, formAction } from '../platform/helpers';

export interface Bench {
  sim: RunningPlatformSimulator;
  appId: string;
  /** The simulator seed's all-permissions application token. */
  apiToken: string;
  /** The platform as an administrator's script sees it, to set situations up. */
  admin: PlatformClient;
  redactor: SecretRedactor;
  dataDir: string;
  journal: InspectJournal;
  devices: DeviceSimulator[];
  /** Every secret the bench created, to prove none leaks. */
  secrets: string[];
  service(options?: { token?: string }): InspectService;
  close(): Promise<void>;
}

export async function startBench(): Promise<Bench> {
  const sim = await startPlatformSimulator({ port: 0, host: '127.0.0.1' });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keyline-inspect-it-'));
  const redactor = new SecretRedactor();
  const apiToken = sim.seed.apiToken;
  const admin = new PlatformClient({ apiUrl: sim.url, tokens: staticTokenSource(apiToken) });
  const journal = dataDirInspectJournal({ dataDir, redactor, command: 'inspect integration test' });
  const devices: DeviceSimulator[] = [];
  const bench: Bench = {
    sim,
    appId: sim.seed.applicationId,
    apiToken,
    admin,
    redactor,
    dataDir,
    journal,
    devices,
    secrets: [],
    service: (options = {}) =>
      new InspectService({
        redactor,
        source: tokenPlatformSource({ apiUrl: sim.url, token: options.token ?? apiToken, redactor, origin: 'test' }),
        journal,
        dataDir,
        station: 'test-bench',
      }),
    async close() {
      await Promise.all(devices.map((device) => device.close()));
      await sim.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return bench;
}

export async function addDevice(
  bench: Bench,
  options: { hwid?: string; faults?: string } = {},
): Promise<DeviceSimulator> {
  const device = await startDeviceSimulator({
    bootMs: 60,
    chatterMs: 0,
    flashWriteMs: 10,
    hwid: options.hwid ?? `KL-${randomBytes(4).toString('hex').toUpperCase()}`,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  bench.devices.push(device);
  await device.whenReady();
  return device;
}

/** A platform device for a unit, tagged with its hwid as the pipeline does. */
export function createPlatformDevice(bench: Bench, hwid: string, deviceClass: Device['deviceClass'] = 'standalone') {
  return bench.admin.devices.create(bench.appId, {
    name: `probe ${hwid}`,
    deviceClass,
    tags: [{ key: 'hwid', value: hwid }],
    attributes: [{ name: 'keylineNonce', dataType: 'string' }],
  });
}

export async function createKey(
  bench: Bench,
  deviceIds: string[],
  name = `keyline-it-${randomBytes(3).toString('hex')}`,
) {
  const created = await bench.admin.keys.create(bench.appId, { name, deviceIds });
  bench.secrets.push(created.value.secret);
  return created.value;
}

export const fingerprint = (key: string, secret: string) =>
  createHash('sha256').update(`${key}:${secret}`).digest('hex');

/** Writes credentials into the unit the way the pipeline does: stage, commit, confirm. */
export async function writeCredentials(
  bench: Bench,
  device: DeviceSimulator,
  credentials: { deviceId: string; key: string; keyId?: string; secret: string; apiUrl?: string },
): Promise<void> {
  const link = await SerialLink.open({ path: device.link, redactor: bench.redactor });
  try {
    await link.client.stage({ apiUrl: bench.sim.url, ...credentials });
    await link.client.commit();
    await link.client.confirm();
  } finally {
    await link.close();
  }
}

/** A unit provisioned as Keyline would: platform device by hwid, a key restricted to it, credentials written. */
export async function provision(bench: Bench, device: DeviceSimulator, options: { secret?: string } = {}) {
  const platformDevice = await createPlatformDevice(bench, device.hwid);
  const key = await createKey(bench, [platformDevice.id]);
  const secret = options.secret ?? key.secret;
  if (options.secret) bench.secrets.push(options.secret);
  await writeCredentials(bench, device, { deviceId: platformDevice.id, key: key.key, keyId: key.id, secret });
  return { platformDevice, key };
}

/** The journal record of a passed provisioning run, with the fingerprint Keyline proved. */
export async function journalProvisioned(
  bench: Bench,
  run: { deviceId: string; keyId: string; hwid: string; fingerprint: string },
): Promise<void> {
  const lock = await acquireDataDirLock(bench.dataDir, { command: 'test provisioning' });
  try {
    const journal = await openJournal({ lock });
    await journal.append({
      kind: 'outcome',
      runId: `run-${randomBytes(4).toString('hex')}`,
      action: 'provision',
      outcome: 'passed',
      hwid: run.hwid,
      deviceId: run.deviceId,
      applicationId: bench.appId,
      accessKeyId: run.keyId,
      fingerprintPrefix: run.fingerprint.slice(0, 16),
    });
    await journal.close();
  } finally {
    await lock.release();
  }
}

export interface SignedIn {
  auth: AuthService;
  redactor: SecretRedactor;
  service: InspectService;
  close(): Promise<void>;
}

/**
 * A real sign-in of the station's AuthService against the simulator's OAuth server: the
 * "browser" is a cookie-keeping HTTP client that logs in as `user`, consents with `maxRole`, and
 * follows the redirect back to the station's loopback listener.
 */
export async function signInAs(
  bench: Bench,
  user: { email: string; password: string },
  maxRole: 'admin' | 'edit' | 'collaborate' | 'view' = 'collaborate',
): Promise<SignedIn> {
  const redactor = new SecretRedactor();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keyline-inspect-auth-'));
  const base = bench.sim.url;
  const browse = async (url: string) => {
    const browser = new Browser();
    let page = await browser.follow(url, base);
    const login = await browser.request(new URL(formAction(page.text), base).href, {
      method: 'POST',
      form: { email: user.email, password: user.password },
    });
    page = await browser.follow(new URL(login.location ?? '', base).href, base);
    const consent = await browser.request(new URL(formAction(page.text), base).href, {
      method: 'POST',
      form: { maxRole, decision: 'allow' },
    });
    page = await browser.follow(new URL(consent.location ?? '', base).href, base);
    if (!page.location) throw new Error('the consent did not lead back to the station');
    await fetch(page.location);
  };
  const auth = new AuthService({
    dataDir,
    redactor,
    openExternal: async (url) => {
      void browse(url).catch(() => undefined);
    },
    emit: { sessionChanged: () => undefined, deviceCode: () => undefined },
    secretStore: new MemorySecretStore(),
    sandbox: { apiUrl: base, clientId: bench.sim.seed.oauthClientId },
  });
  await auth.start();
  await auth.signIn(SANDBOX_PROFILE_ID, 'browser');
  await auth.selectApplication(bench.appId);
  return {
    auth,
    redactor,
    service: new InspectService({
      redactor,
      source: sessionPlatformSource(auth, redactor),
      journal: bench.journal,
      dataDir: bench.dataDir,
      station: 'test-bench',
    }),
    async close() {
      await auth.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
