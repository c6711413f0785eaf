/**
 * The promises Keyline makes after any batch (DESIGN.md §2–3), checked from outside the station,
 * the way an auditor would: the platform's keys, the devices themselves over their serial ports,
 * the journal on disk, and every byte the station wrote or printed. Shared by the soak
 * (`npm run soak`) and the randomized crash tests.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readJournalRecords, unfinishedIntents, verifyJournal } from '../../main/provisioning/journal';
import { SerialLink } from '../../main/serial';
import { SecretRedactor } from '../../main/security/secret-redactor';

/** An access key as the platform lists it (the fields the checks read). */
export interface PlatformKey {
  id: string;
  key: string;
  name?: string;
  status: 'active' | 'inactive';
  deviceIds?: string[];
  deviceTags?: unknown[];
}

/** Every access key of an application, read directly from the platform with an admin token. */
export async function listKeys(apiUrl: string, applicationId: string, token: string): Promise<PlatformKey[]> {
  const all: PlatformKey[] = [];
  for (let page = 0; ; page += 1) {
    const response = await fetch(`${apiUrl}/applications/${applicationId}/keys?perPage=1000&page=${page}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`listing keys failed: ${response.status}`);
    const body = (await response.json()) as { items: PlatformKey[] };
    all.push(...body.items);
    if (body.items.length < 1000) return all;
  }
}

export interface KeyBalance {
  /** Active keys named by Keyline's runs (`keyline-*`). */
  active: string[];
  /** Keyline keys that devices run on (their active slot). */
  committed: string[];
  /** Active Keyline keys no device runs on: must be none. */
  orphans: string[];
  /** Keys devices run on that are not active Keyline keys (inactive, deleted, foreign). */
  missing: string[];
}

/** Active keys named by Keyline's runs versus the keys the devices committed. */
export function keyBalance(keys: readonly PlatformKey[], deviceKeyIds: Iterable<string>): KeyBalance {
  const keyline = keys.filter((key) => key.name?.startsWith('keyline-'));
  const active = new Set(keyline.filter((key) => key.status === 'active').map((key) => key.id));
  const keylineIds = new Set(keyline.map((key) => key.id));
  const committed = new Set([...deviceKeyIds].filter((id) => keylineIds.has(id)));
  return {
    active: [...active].sort(),
    committed: [...committed].sort(),
    orphans: [...active].filter((id) => !committed.has(id)).sort(),
    missing: [...committed].filter((id) => !active.has(id)).sort(),
  };
}

export interface DeviceHealth {
  port: string;
  hwid?: string;
  /** The key id the unit runs on, when it holds credentials. */
  activeKeyId?: string;
  broken: boolean;
  /** Why it is broken, or what it holds. */
  reason: string;
}

/**
 * Asks the unit itself: `hello` for what it holds (a pending commit is broken), then `test` on its
 * active slot, which makes the unit authenticate with those credentials and report state: a unit
 * whose credentials the platform refuses is broken. A unit with no credentials is not broken (it
 * was never provisioned, or kept its empty state after a failure).
 */
export async function checkDevice(
  port: string,
  keys: ReadonlyMap<string, PlatformKey>,
  options: { attempts?: number } = {},
): Promise<DeviceHealth> {
  let lastError = 'could not be asked';
  for (let attempt = 0; attempt < (options.attempts ?? 4); attempt++) {
    let link: SerialLink | undefined;
    try {
      link = await SerialLink.open({ path: port, redactor: new SecretRedactor() });
      const info = await link.client.hello();
      const active = info.slots.active;
      const base = { port, hwid: info.hwid, ...(active?.keyId ? { activeKeyId: active.keyId } : {}) };
      if (info.slots.pending) return { ...base, broken: true, reason: 'a commit is pending (never confirmed)' };
      if (!active) return { ...base, broken: false, reason: 'holds no credentials' };
      const key = active.keyId ? keys.get(active.keyId) : undefined;
      if (active.keyId && (!key || key.status !== 'active')) {
        return { ...base, broken: true, reason: `runs on key ${active.keyId}, which is not active on the platform` };
      }
      if (key?.deviceIds && key.deviceIds.length > 0 && !key.deviceIds.includes(active.deviceId)) {
        return { ...base, broken: true, reason: `runs on key ${key.id}, which is not for device ${active.deviceId}` };
      }
      const report = await link.client.test('active', `audit-${randomBytes(6).toString('hex')}`);
      if (!report.passed) {
        return { ...base, broken: true, reason: `its credentials do not work: ${report.failure ?? 'failed'}` };
      }
      return { ...base, broken: false, reason: 'its active credentials work' };
    } catch (error) {
      lastError = (error as Error).message;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await link?.close().catch(() => undefined);
    }
  }
  return { port, broken: true, reason: `could not be checked: ${lastError}` };
}

export interface JournalAudit {
  /** Runs the journal knows of (any record naming a run id). */
  runs: number;
  /** Of the run ids asked about, those with a final record (an outcome, or a reconcile with one). */
  withFinalRecord: number;
  /** Run ids asked about with no final record. */
  missing: string[];
  /** Intents with no final record. */
  unfinished: number;
  intact: boolean;
  /** Final outcomes by kind: passed, failed, skipped, unresolved, ... */
  outcomes: Record<string, number>;
}

/** Which runs have a final record, whether every intent is settled, and whether the chain is intact. */
export async function auditJournal(dataDir: string, runIds: Iterable<string>): Promise<JournalAudit> {
  const final = new Map<string, string>();
  const known = new Set<string>();
  for await (const { record } of readJournalRecords(dataDir)) {
    if (!('runId' in record) || typeof record.runId !== 'string') continue;
    known.add(record.runId);
    if (record.kind === 'outcome') final.set(record.runId, record.outcome);
    if (record.kind === 'reconcile' && record.outcome) final.set(record.runId, record.outcome);
  }
  const asked = [...new Set(runIds)];
  const missing = asked.filter((runId) => !final.has(runId));
  const outcomes: Record<string, number> = {};
  for (const runId of asked) {
    const outcome = final.get(runId);
    if (outcome) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return {
    runs: known.size,
    withFinalRecord: asked.length - missing.length,
    missing,
    unfinished: (await unfinishedIntents(dataDir)).length,
    intact: (await verifyJournal(dataDir)).intact,
    outcomes,
  };
}

/** Every file under `dir`, as text (latin1: every byte survives). */
export async function filesUnder(dir: string): Promise<Array<{ name: string; text: string }>> {
  const found: Array<{ name: string; text: string }> = [];
  const walk = async (current: string) => {
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if ((await stat(full)).isFile()) found.push({ name: full, text: await readFile(full, 'latin1') });
    }
  };
  await walk(dir);
  return found;
}

/** The forms a secret may be printed in: raw, hex (both cases), base64 and base64url. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    secret,
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
  ];
}

/** Where any of `secrets` appears, in any form: `place: secret prefix…` for each find. */
export function findSecrets(secrets: Iterable<string>, places: Array<{ name: string; text: string }>): string[] {
  const forms = [...secrets]
    .filter((secret) => secret.length >= 8)
    .map((secret) => [secret, secretForms(secret)] as const);
  const found: string[] = [];
  for (const { name, text } of places) {
    for (const [secret, variants] of forms) {
      if (variants.some((form) => text.includes(form))) found.push(`${name}: ${secret.slice(0, 4)}…`);
    }
  }
  return found;
}
