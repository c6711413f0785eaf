import { KeylineError } from '../../common/errors';
import type { ApplicationKey, Device, DeviceLogEntry } from '../platform';
import { collect } from './collect';
import { probeDevice, type DeviceOpener, type DeviceProbe } from './device-probe';
import { InspectError } from './inspect-error';
import { keyLetsIn } from './key-reach';
import type { InspectPlatform, InspectPlatformSource } from './platform-access';
import { devicesByHwid, findApplicationOf, keyByString, read, unknown, type Read } from './platform-reads';
import { lastProvisioned, type ProvisionedRecord } from './provisioning-history';

/** Everything a diagnosis looks at, gathered once; the causes are judged from it alone. */
export interface DiagnosisFacts {
  now: number;
  /** What the device said over serial (port mode), with its own test of its credentials. */
  probe: DeviceProbe | null;
  deviceId: string | null;
  applicationId: string | null;
  /** The platform record of `deviceId`. */
  device: Read<Device>;
  /** Platform devices tagged with the unit's hwid (port mode). */
  byHwid: Read<Device[]>;
  /** Where the key under suspicion came from: the device's active slot, or the journal's last run. */
  keyOrigin: 'device' | 'journal' | null;
  keyId: string | null;
  key: Read<ApplicationKey>;
  /** Device mode without a known key: the keys that would let the device in. */
  keysForDevice: Read<ApplicationKey[]>;
  log: Read<DeviceLogEntry[]>;
  /** Keyline's last passed provisioning of this key or device, from the journal. */
  history: ProvisionedRecord | null;
  notes: string[];
}

export interface GatherOptions {
  source: InspectPlatformSource;
  open: DeviceOpener;
  /** Where the journal lives (its history is read, never written here). */
  dataDir?: string;
  now: () => number;
  signal?: AbortSignal;
}

export type DiagnosisSubject =
  { port: string; applicationId?: string; deviceTest?: boolean } | { deviceId: string; applicationId?: string };

const notRead = unknown('not read');

/** Gathers the facts for a device on a serial port, or for a device id on the platform. */
export async function gatherFacts(subject: DiagnosisSubject, options: GatherOptions): Promise<DiagnosisFacts> {
  const { signal } = options;
  const notes: string[] = [];
  const probe =
    'port' in subject
      ? await probeDevice(options.open, subject.port, { test: subject.deviceTest ?? true, signal })
      : null;
  const active = probe?.info.slots.active ?? null;
  const deviceId = 'deviceId' in subject ? subject.deviceId : (active?.deviceId ?? null);
  const history = await lastProvisioned(options.dataDir, { accessKeyId: active?.keyId, deviceId }).catch(() => {
    notes.push('The journal could not be read, so what Keyline last wrote into this device is not known.');
    return null;
  });
  const facts: DiagnosisFacts = {
    now: options.now(),
    probe,
    deviceId,
    applicationId: null,
    device: notRead,
    byHwid: notRead,
    keyOrigin: active ? 'device' : history?.accessKeyId ? 'journal' : null,
    keyId: active ? active.keyId : (history?.accessKeyId ?? null),
    key: notRead,
    keysForDevice: notRead,
    log: notRead,
    history,
    notes,
  };

  let platform: InspectPlatform;
  try {
    platform = await options.source.current(signal);
  } catch (error) {
    // Over serial the device's own answers still tell a lot; by id there is nothing to look at.
    if (!probe || !(error instanceof KeylineError)) throw error;
    const reason = `the platform could not be asked: ${error.message}`;
    notes.push(`Only the device was checked: ${reason}`);
    return { ...facts, device: unknown(reason), byHwid: unknown(reason), key: unknown(reason), log: unknown(reason) };
  }
  const { client } = platform;

  let applicationId = subject.applicationId ?? history?.applicationId ?? platform.defaultApplication?.id ?? null;
  if (deviceId && subject.applicationId === undefined) {
    const here = applicationId ? await read(() => client.devices.get(applicationId!, deviceId, { signal })) : null;
    if (here?.state !== 'found') {
      const elsewhere = await findApplicationOf(client, deviceId, signal).catch(() => null);
      if (elsewhere) applicationId = elsewhere;
    }
  }
  if (!applicationId) {
    if (!probe) {
      throw new InspectError(
        'INSPECT_NO_APPLICATION',
        `Device ${deviceId} is in none of the applications this session can see; give its application id (--app).`,
      );
    }
    const reason = 'no application to look in: give the application id';
    notes.push(`The platform side was not checked: ${reason}.`);
    return { ...facts, device: unknown(reason), byHwid: unknown(reason), key: unknown(reason), log: unknown(reason) };
  }
  facts.applicationId = applicationId;
  const app = applicationId;

  facts.device = deviceId ? await read(() => client.devices.get(app, deviceId, { signal })) : unknown('no device id');
  // By id, the platform is all there is to look at: if it cannot be read, there is no diagnosis.
  if (!probe && facts.device.state === 'unknown' && facts.device.error) throw facts.device.error;
  if (probe) facts.byHwid = await devicesByHwid(client, app, probe.info.hwid, signal);
  if (facts.device.state === 'found') facts.log = await read(() => client.devices.logs(app, deviceId!, { signal }));

  if (facts.keyId) facts.key = await read(() => client.keys.get(app, facts.keyId!, { signal }));
  else if (active) facts.key = await keyByString(client, app, active.key, signal);
  else facts.key = unknown('the key this device uses is not known');
  if (facts.key.state === 'found') facts.keyId = facts.key.value.id;

  if (!facts.keyOrigin && facts.device.state === 'found') {
    const device = facts.device.value;
    facts.keysForDevice = await read(async () => {
      const { items } = await collect(client.keys.all(app, {}, { signal }));
      return items.filter((key) => keyLetsIn(key, device));
    });
  }
  return facts;
}
