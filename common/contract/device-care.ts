/**
 * Installers and returns: a device's credential state (from its `hello` and the platform),
 * rotation with a confirmation, and decommissioning. Ids and fingerprint prefixes only.
 */
import { z } from 'zod';
import { defineMethod } from './define';
import { LaneView } from './provisioning';
import { StationPortPath } from './station';

const Short = z.string().max(500);
const Text = z.string().max(4000);

export const CredentialSlot = z.strictObject({
  deviceId: Short,
  /** The public half of the access key. */
  accessKey: Short,
  keyId: Short.optional(),
  fingerprintPrefix: Short,
});

export const KeyView = z.strictObject({
  id: Short,
  name: Short.optional(),
  status: z.enum(['active', 'inactive']),
  /** Restricted to this device alone: Keyline may retire it; a shared key is never touched. */
  exclusive: z.boolean(),
  /** The key the device runs on now (its active slot). */
  inUse: z.boolean(),
});
export type KeyView = z.infer<typeof KeyView>;

export const CredentialState = z.enum([
  /** No credentials on the device. */
  'unprovisioned',
  /** Active credentials whose key is active on the platform. */
  'provisioned',
  /** The device runs on a key that is inactive or deleted on the platform: it cannot connect. */
  'key-not-active',
  /** Staged or pending credentials: an interrupted run (reconciled at the next batch). */
  'interrupted',
  /** The platform could not be asked. */
  'unknown',
]);
export type CredentialState = z.infer<typeof CredentialState>;

export const DeviceCheck = z.strictObject({
  port: Short,
  hwid: Short,
  model: Short,
  firmware: Short,
  slots: z.strictObject({
    active: CredentialSlot.optional(),
    staged: CredentialSlot.optional(),
    previous: CredentialSlot.optional(),
    pending: z.boolean(),
  }),
  platformDevice: z
    .strictObject({
      id: Short,
      name: Short,
      deviceClass: Short,
      tags: z.array(z.strictObject({ key: Short, value: Short })),
    })
    .optional(),
  keys: z.array(KeyView).max(100),
  state: CredentialState,
  /** The state in plain words, and what rotation would do. */
  summary: Text,
  platformProblem: Text.optional(),
});
export type DeviceCheck = z.infer<typeof DeviceCheck>;

export const DecommissionStep = z.strictObject({
  step: z.enum(['identify', 'find', 'wipe', 'delete-keys', 'platform-device', 'record']),
  status: z.enum(['passed', 'failed', 'skipped']),
  message: Text,
});

export const DecommissionResult = z.strictObject({
  runId: Short,
  port: Short,
  hwid: Short.optional(),
  deviceId: Short.optional(),
  outcome: z.enum(['passed', 'failed']),
  deletedKeyIds: z.array(Short).max(100),
  steps: z.array(DecommissionStep).max(10),
  error: z.strictObject({ code: z.string().max(100), message: Text }).optional(),
});
export type DecommissionResult = z.infer<typeof DecommissionResult>;

export const deviceCareMethods = {
  'device.check': defineMethod({
    summary: "A device's credential state: its slots from `hello`, its platform device and keys.",
    args: z.strictObject({ port: StationPortPath }),
    result: DeviceCheck,
  }),
  'device.rotate': defineMethod({
    summary: 'Re-provisions the device on a port with a new key (make-before-break), confirmed by the technician.',
    args: z.strictObject({ port: StationPortPath }),
    result: z.strictObject({ lane: LaneView }),
  }),
  'device.decommission': defineMethod({
    summary: 'Wipes the device, deletes its keys, untags or deletes its platform device, and journals it.',
    args: z.strictObject({ port: StationPortPath, platformDevice: z.enum(['untag', 'delete']) }),
    result: DecommissionResult,
  }),
} as const;
