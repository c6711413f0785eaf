import type { CauseCheck } from '../../common/contract/inspect';
import type { ApplicationKey } from '../platform';
import { refusalEvidence, type Refusal } from './connection-refusals';
import type { DiagnosisFacts } from './diagnosis-facts';
import { check } from './diagnosis-words';
import { keyLetsIn } from './key-reach';
import { canConnect, classWords, keyRestriction } from './lookup-views';

/** The causes the platform's records show: the device, its class, and the access key it uses. */

function keyName(key: ApplicationKey): string {
  return `access key ${key.name ? `"${key.name}" ` : ''}(${key.key}, id ${key.id})`;
}

/** "The key the device holds" / "the key Keyline last gave it (run …)". */
function whichKey(facts: DiagnosisFacts): string {
  if (facts.keyOrigin === 'device') {
    const slot = facts.probe?.info.slots.active;
    return `the access key the device holds (${slot?.key ?? 'unknown'}${facts.keyId ? `, id ${facts.keyId}` : ''})`;
  }
  if (facts.keyOrigin === 'journal' && facts.history) {
    return `the access key Keyline gave it in run ${facts.history.runId} (id ${facts.keyId})`;
  }
  return 'its access key';
}

export function deviceDeleted(facts: DiagnosisFacts): CauseCheck {
  const { device, deviceId, history } = facts;
  if (!deviceId) return check('DEVICE_DELETED', 'unknown', 'The device holds no device id to look up.');
  const provisioned =
    history && history.deviceId?.toLowerCase() === deviceId.toLowerCase()
      ? `Keyline provisioned device ${deviceId} in run ${history.runId} (${history.time}).`
      : null;
  if (device.state === 'missing') {
    return check(
      'DEVICE_DELETED',
      'holds',
      `Device ${deviceId} is not on the platform (application ${facts.applicationId}): it was deleted, or the id belongs to another platform.`,
      [provisioned],
    );
  }
  if (device.state === 'unknown') return check('DEVICE_DELETED', 'unknown', `Could not look it up: ${device.reason}`);
  return check('DEVICE_DELETED', 'clear', `Device ${deviceId} exists: "${device.value.name}".`);
}

export function deviceClass(facts: DiagnosisFacts, refusals: readonly Refusal[]): CauseCheck {
  const { device } = facts;
  const logged = refusalEvidence(refusals, 'DEVICE_CLASS_CANNOT_CONNECT');
  if (device.state !== 'found') {
    return check(
      'DEVICE_CLASS_CANNOT_CONNECT',
      'unknown',
      'The device record could not be read, so its class is not known.',
      [logged],
    );
  }
  const { deviceClass: cls, name } = device.value;
  if (!canConnect(cls)) {
    return check('DEVICE_CLASS_CANNOT_CONNECT', 'holds', `"${name}" is a ${cls} device. ${classWords(cls)}`, [logged]);
  }
  return check('DEVICE_CLASS_CANNOT_CONNECT', 'clear', `"${name}" is a ${cls} device, which may connect.`);
}

/** Device mode with no known key: what the keys that would let the device in say. */
function keysForDeviceSay(facts: DiagnosisFacts): { none: boolean; allInactive: boolean; words: string } | null {
  if (facts.keysForDevice.state !== 'found') return null;
  const keys = facts.keysForDevice.value;
  const active = keys.filter((key) => key.status === 'active');
  return {
    none: keys.length === 0,
    allInactive: keys.length > 0 && active.length === 0,
    words:
      keys.length === 0
        ? 'No access key of the application lets this device in: none lists it, none matches its tags, none is unrestricted.'
        : `${keys.length} access key${keys.length === 1 ? '' : 's'} let${keys.length === 1 ? 's' : ''} it in, ${active.length} active: ${keys
            .slice(0, 5)
            .map((key) => `${key.name ?? key.key} (${key.status})`)
            .join(', ')}.`,
  };
}

export function keyDeleted(facts: DiagnosisFacts, refusals: readonly Refusal[]): CauseCheck {
  const logged = refusalEvidence(refusals, 'KEY_DELETED');
  if (facts.key.state === 'missing') {
    return check('KEY_DELETED', 'holds', `${capital(whichKey(facts))} is not on the platform: it was deleted.`, [
      logged,
    ]);
  }
  if (facts.key.state === 'found') {
    if (!logged) return check('KEY_DELETED', 'clear', `${capital(keyName(facts.key.value))} exists.`);
    return check(
      'KEY_DELETED',
      'holds',
      `${capital(keyName(facts.key.value))} exists, but the platform refused the device for a deleted or unknown key: the device uses another key.`,
      [logged],
    );
  }
  if (logged)
    return check('KEY_DELETED', 'holds', 'The platform refused the device for a deleted or unknown key.', [logged]);
  return check('KEY_DELETED', 'unknown', unknownKey(facts));
}

export function keyInactive(facts: DiagnosisFacts, refusals: readonly Refusal[]): CauseCheck {
  const logged = refusalEvidence(refusals, 'KEY_INACTIVE');
  if (facts.key.state === 'found') {
    const key = facts.key.value;
    if (key.status === 'inactive')
      return check('KEY_INACTIVE', 'holds', `${capital(keyName(key))} is inactive.`, [logged]);
    return check('KEY_INACTIVE', 'clear', `${capital(keyName(key))} is active.`);
  }
  const said = keysForDeviceSay(facts);
  if (said?.allInactive)
    return check('KEY_INACTIVE', 'holds', `Every key that lets it in is inactive. ${said.words}`, [logged]);
  if (logged) return check('KEY_INACTIVE', 'holds', 'The platform refused the device for an inactive key.', [logged]);
  if (facts.key.state === 'missing')
    return check('KEY_INACTIVE', 'unknown', 'The key is gone (see "Access key deleted").');
  return check('KEY_INACTIVE', 'unknown', unknownKey(facts), [said?.words]);
}

export function keyRestricted(facts: DiagnosisFacts, refusals: readonly Refusal[]): CauseCheck {
  const logged = refusalEvidence(refusals, 'KEY_RESTRICTED_TO_OTHER_DEVICES');
  const { key, device } = facts;
  if (key.state === 'found' && device.state === 'found') {
    const restriction = keyRestriction(key.value).words;
    if (key.value.applicationId.toLowerCase() !== device.value.applicationId.toLowerCase()) {
      return check(
        'KEY_RESTRICTED_TO_OTHER_DEVICES',
        'holds',
        `${capital(keyName(key.value))} belongs to application ${key.value.applicationId}, not to the device's ${device.value.applicationId}.`,
        [logged],
      );
    }
    if (!keyLetsIn(key.value, device.value)) {
      return check(
        'KEY_RESTRICTED_TO_OTHER_DEVICES',
        'holds',
        `${capital(keyName(key.value))} lets in: ${restriction}. That does not include "${device.value.name}" (${device.value.id}).`,
        [logged],
      );
    }
    return check(
      'KEY_RESTRICTED_TO_OTHER_DEVICES',
      'clear',
      `${capital(keyName(key.value))} lets this device in: ${restriction}.`,
    );
  }
  const said = keysForDeviceSay(facts);
  if (said?.none) return check('KEY_RESTRICTED_TO_OTHER_DEVICES', 'holds', said.words, [logged]);
  if (logged) {
    return check(
      'KEY_RESTRICTED_TO_OTHER_DEVICES',
      'holds',
      'The platform refused the device: its key does not allow it.',
      [logged],
    );
  }
  if (key.state === 'missing')
    return check('KEY_RESTRICTED_TO_OTHER_DEVICES', 'unknown', 'The key is gone (see "Access key deleted").');
  return check(
    'KEY_RESTRICTED_TO_OTHER_DEVICES',
    'unknown',
    device.state === 'found' ? unknownKey(facts) : 'The device record could not be read.',
    [said?.words],
  );
}

function unknownKey(facts: DiagnosisFacts): string {
  if (facts.key.state === 'unknown' && facts.keyOrigin) return `Could not read ${whichKey(facts)}: ${facts.key.reason}`;
  return (
    'Which access key the device uses is not known here (no serial connection, and no Keyline run for it in this ' +
    "station's journal). Connect it over serial, or read its connection log below."
  );
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
