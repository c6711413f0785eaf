import type { CauseCheck, CauseCode } from '../../common/contract/inspect';

/** Each cause's title and its fix, in the words support reads out on the phone. */
export const CAUSE_WORDS: Record<CauseCode, { title: string; fix: string }> = {
  NO_CREDENTIALS: {
    title: 'No credentials on the device',
    fix: 'Provision the device with Keyline (Station screen, or keyline provision): it has nothing to authenticate with.',
  },
  DEVICE_DELETED: {
    title: 'Device deleted on the platform',
    fix:
      'A deleted device cannot be restored. Provision the unit again: Keyline creates (or finds, by its hwid tag) ' +
      'its platform device and gives it a new access key restricted to it.',
  },
  DEVICE_CLASS_CANNOT_CONNECT: {
    title: 'Device class cannot connect',
    fix:
      "Change the device's class to standalone (or gateway) on the platform. Only devices that connect on their own " +
      'may authenticate: a peripheral reports through its gateway and a floating device is filled by workflows, so ' +
      'the platform answers "Device not allowed to connect".',
  },
  KEY_DELETED: {
    title: 'Access key deleted',
    fix:
      'A deleted key cannot be restored and its secret is gone: provision the device again (rotation) so it gets a ' +
      'new key restricted to it.',
  },
  KEY_INACTIVE: {
    title: 'Access key inactive',
    fix:
      'If the key was deactivated by mistake, reactivate it (Inspect, Access keys, Reactivate): the device connects ' +
      'again at its next attempt. If it was retired on purpose, provision the device again to give it a new key.',
  },
  KEY_RESTRICTED_TO_OTHER_DEVICES: {
    title: 'Access key restricted to other devices',
    fix:
      "A key's devices cannot be changed afterwards. Provision the device again (rotation) so it gets a key " +
      'restricted to exactly this device.',
  },
  DEVICE_ID_MISMATCH: {
    title: 'Device id on the device differs from the platform',
    fix:
      'Provision the unit again (rotation): Keyline writes the id of the platform device tagged with its hwid, with a ' +
      'key for that device. If the hwid tag sits on the wrong platform device, move the tag first.',
  },
  SECRET_MISMATCH: {
    title: 'Secret does not match the key',
    fix:
      'The platform never shows a secret again, so it cannot be corrected in place: provision the device again ' +
      '(rotation) to give it a new key and secret, then deactivate or delete the old key.',
  },
  CLOCK_FAR_OFF: {
    title: 'Device clock far off',
    fix:
      'Let the device set its clock (NTP on its network, or a fresh RTC battery), then retry: with the wrong time it ' +
      "cannot check the platform's TLS certificate.",
  },
  PLATFORM_UNREACHABLE_FROM_DEVICE: {
    title: 'Platform unreachable from the device',
    fix:
      "Check the device's network: Wi-Fi or cable, DNS, firewall and proxy rules for the platform's address. The " +
      'credentials may be fine: the device never got an answer.',
  },
};

export function check(
  cause: CauseCode,
  status: CauseCheck['status'],
  finding: string,
  evidence: Array<string | null | undefined | false> = [],
  fix?: string,
): CauseCheck {
  return {
    cause,
    title: CAUSE_WORDS[cause].title,
    status,
    finding: finding.slice(0, 2000),
    evidence: evidence.filter((item): item is string => typeof item === 'string' && item.length > 0).slice(0, 10),
    fix: (fix ?? CAUSE_WORDS[cause].fix).slice(0, 2000),
  };
}
