import { access } from 'node:fs/promises';
import { journalDir, readJournalRecords } from '../provisioning/journal';

/** What the journal says Keyline last wrote into a device: the key, and the first bytes of its fingerprint. */
export interface ProvisionedRecord {
  runId: string;
  time: string;
  hwid: string | null;
  deviceId: string | null;
  applicationId: string | null;
  accessKeyId: string | null;
  fingerprintPrefix: string | null;
}

export interface HistoryMatch {
  accessKeyId?: string | null;
  deviceId?: string | null;
}

const same = (a: string | null | undefined, b: string | null | undefined) =>
  a !== undefined && a !== null && b !== undefined && b !== null && a.toLowerCase() === b.toLowerCase();

/**
 * The newest passed provisioning (or rotation) of this key, else of this device, in the journal of
 * `dataDir`. Null when there is no journal or no such run: the device may have been provisioned
 * elsewhere. Reading takes no lock.
 */
export async function lastProvisioned(
  dataDir: string | undefined,
  match: HistoryMatch,
): Promise<ProvisionedRecord | null> {
  if (dataDir === undefined || (!match.accessKeyId && !match.deviceId)) return null;
  try {
    await access(journalDir(dataDir));
  } catch {
    return null;
  }
  let byKey: ProvisionedRecord | null = null;
  let byDevice: ProvisionedRecord | null = null;
  for await (const { record } of readJournalRecords(dataDir)) {
    if (record.kind !== 'outcome' || record.outcome !== 'passed') continue;
    const found: ProvisionedRecord = {
      runId: record.runId,
      time: record.time,
      hwid: record.hwid ?? null,
      deviceId: record.deviceId ?? null,
      applicationId: record.applicationId ?? null,
      accessKeyId: record.accessKeyId ?? null,
      fingerprintPrefix: record.fingerprintPrefix ?? null,
    };
    if (same(found.accessKeyId, match.accessKeyId)) byKey = found;
    if (same(found.deviceId, match.deviceId)) byDevice = found;
  }
  return byKey ?? byDevice;
}
