import type { ComparisonRow, DeviceSide, SerialInspection, SlotView } from '../../common/contract/inspect';
import type { DeviceInfo, SlotSummary } from '../serial';
import { gatherFacts, type DiagnosisFacts, type GatherOptions } from './diagnosis-facts';
import { keyLetsIn } from './key-reach';
import { accessKeyView, deviceSummary } from './lookup-views';
import type { Read } from './platform-reads';
import { formatDuration } from './token-times';

function slotView(slot: SlotSummary | null): SlotView | null {
  return slot ? { deviceId: slot.deviceId, key: slot.key, keyId: slot.keyId, fingerprint: slot.fp } : null;
}

export function deviceSide(port: string, info: DeviceInfo): DeviceSide {
  return {
    port,
    hwid: info.hwid,
    model: info.model,
    firmware: info.fw,
    protocol: info.proto,
    capabilities: info.caps.slice(0, 20),
    clock: {
      deviceTime: new Date(info.clock.unix * 1000).toISOString(),
      valid: info.clock.valid,
      skewSeconds: Math.round(info.clockSkewMs / 1000),
    },
    uptimeSeconds: Math.round(info.uptimeMs / 1000),
    boots: info.boots,
    active: slotView(info.slots.active),
    staged: slotView(info.slots.staged),
    previous: slotView(info.slots.previous),
    pending: info.slots.pending,
  };
}

function said<T>(read: Read<T>, found: (value: T) => string): string {
  if (read.state === 'found') return found(read.value);
  return read.state === 'missing' ? 'Not found (deleted?)' : `Unknown: ${read.reason}`;
}

/** The lines of the side-by-side view, each saying whether the two sides agree. */
function rows(facts: DiagnosisFacts, info: DeviceInfo): ComparisonRow[] {
  const active = info.slots.active;
  const device = facts.device.state === 'found' ? facts.device.value : null;
  const key = facts.key.state === 'found' ? facts.key.value : null;
  const hwidTag = device?.tags.find((tag) => tag.key === 'hwid')?.value;
  const tagged = facts.byHwid.state === 'found' ? facts.byHwid.value : [];
  const result: ComparisonRow[] = [
    {
      label: 'Hardware id (hwid)',
      onDevice: info.hwid,
      onPlatform: device ? (hwidTag ?? 'No hwid tag') : 'Unknown',
      agree: hwidTag === undefined ? null : hwidTag === info.hwid,
    },
    {
      label: 'Device id',
      onDevice: active?.deviceId ?? 'None (no credentials)',
      onPlatform:
        tagged.length > 0
          ? `Tagged hwid=${info.hwid}: ${tagged.map((candidate) => candidate.id).join(', ')}`
          : said(facts.device, (value) => `${value.id} exists`),
      agree: active && tagged.length > 0 ? tagged.some((candidate) => candidate.id === active.deviceId) : null,
    },
    {
      label: 'Device',
      onDevice: `${info.model}, firmware ${info.fw}`,
      onPlatform: device ? `"${device.name}", ${device.deviceClass}` : said(facts.device, () => ''),
      agree: null,
    },
    {
      label: 'Access key',
      onDevice: active ? `${active.key}${active.keyId ? ` (id ${active.keyId})` : ''}` : 'None',
      onPlatform: key ? `${key.key} (id ${key.id}), ${key.status}` : said(facts.key, () => ''),
      agree: active && key ? key.key === active.key : active && facts.key.state === 'missing' ? false : null,
    },
    {
      label: 'Key lets this device in',
      onDevice: '—',
      onPlatform: key && device ? (keyLetsIn(key, device) ? 'Yes' : 'No') : 'Unknown',
      agree: key && device ? keyLetsIn(key, device) : null,
    },
  ];
  const history = facts.history;
  if (active) {
    const matches = history?.fingerprintPrefix && history.accessKeyId && history.accessKeyId === facts.keyId;
    result.push({
      label: 'Fingerprint (first bytes)',
      onDevice: active.fp,
      onPlatform: matches
        ? `${history.fingerprintPrefix} (Keyline's run ${history.runId})`
        : 'Not known here (the platform never shows a secret)',
      agree: matches
        ? active.fp.startsWith(history.fingerprintPrefix!) || history.fingerprintPrefix!.startsWith(active.fp)
        : null,
    });
  }
  result.push({
    label: 'Clock',
    onDevice: `${new Date(info.clock.unix * 1000).toISOString()}${info.clock.valid ? '' : ' (not set)'}`,
    onPlatform: `Station: ${new Date(facts.now).toISOString()} (${formatDuration(Math.abs(info.clockSkewMs) / 1000)} apart)`,
    agree: info.clock.valid && Math.abs(info.clockSkewMs) <= 5 * 60 * 1000,
  });
  return result;
}

/** `hello` on the port, then the device's platform record and its key's status, side by side. */
export async function inspectSerialDevice(
  port: string,
  applicationId: string | undefined,
  options: GatherOptions,
): Promise<SerialInspection> {
  const facts = await gatherFacts({ port, deviceTest: false, ...(applicationId ? { applicationId } : {}) }, options);
  const info = facts.probe!.info;
  return {
    device: deviceSide(port, info),
    applicationId: facts.applicationId,
    platformDevice: facts.device.state === 'found' ? deviceSummary(facts.device.value) : null,
    byHwid: facts.byHwid.state === 'found' ? facts.byHwid.value.slice(0, 20).map(deviceSummary) : [],
    key: facts.key.state === 'found' ? accessKeyView(facts.key.value) : null,
    rows: rows(facts, info),
    notes: facts.notes,
  };
}
