/**
 * The Station screen beyond the pipeline's own contract (provisioning.ts): the ports a batch can
 * use, the session counters, the work order and scanned serial numbers, lane details, Locate,
 * notifications and the station's own preferences. Ids only: never a secret.
 */
import { z } from 'zod';
import { defineEvent, defineMethod, noArgs } from './define';
import { LaneView } from './provisioning';

const Short = z.string().max(500);
const Text = z.string().max(4000);
/**
 * A serial port path from the window: an absolute path (/dev/ttyUSB0, a pty's link), COM3,
 * \\.\COM12, or a sandbox unit (sandbox://unit-1). Anything else is refused before a file is
 * touched.
 */
export const StationPortPath = z
  .string()
  .min(1)
  .max(500)
  .regex(/^(?:\/[^\0]*|COM\d{1,3}|\\\\\.\\COM\d{1,3}|sandbox:\/\/unit-\d{1,3})$/, 'a serial port path (/dev/…, COM3)');
const ScanText = z.string().trim().min(1).max(200);

export const UsbId = z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/, 'vendor:product as four hex digits each');

export const StationPrefs = z.strictObject({
  /**
   * `sandbox`: the embedded platform simulator and simulated devices (a new install's default);
   * `platform`: the real platform of the active profile. Applies at the next start.
   */
  platformMode: z.enum(['sandbox', 'platform']),
  /** A sound on every pass and fail. */
  sounds: z.boolean(),
  /** A system notification on every pass and fail (main shows it in the Electron app; the window, in a browser). */
  notifications: z.boolean(),
  /** A scan starting with this (case-insensitive) is a work order; anything else is a serial number. */
  workOrderPrefix: z.string().trim().min(1).max(20),
  /** Offer USB serial devices that are not known adapters too. */
  allowUnknownAdapters: z.boolean(),
  /** Extra USB adapters to offer (`vendor:product`, lowercase hex). */
  usbIds: z.array(UsbId).max(64),
});
export type StationPrefs = z.infer<typeof StationPrefs>;

export const DEFAULT_STATION_PREFS: StationPrefs = {
  platformMode: 'sandbox',
  sounds: true,
  notifications: true,
  workOrderPrefix: 'WO',
  allowUnknownAdapters: false,
  usbIds: [],
};

export const Blocked = z.strictObject({ code: z.string().max(100), message: Text });

/** A port a lane can run on, as the Station screen lists it. */
export const StationPort = z.strictObject({
  path: Short,
  /** A friendly name: the adapter, its serial number, or the simulated unit. */
  label: Short,
  laneKey: Short,
  simulated: z.boolean(),
  /** Why no lane may start here (a real port in the sandbox, ...). */
  blocked: Blocked.optional(),
});
export type StationPort = z.infer<typeof StationPort>;

export const SessionCounters = z.strictObject({
  since: z.string(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  unresolved: z.number().int().nonnegative(),
  /** Passed devices per hour since the first run of the session. */
  perHour: z.number().nonnegative(),
});
export type SessionCounters = z.infer<typeof SessionCounters>;

/** What the scanner said about the unit on a port: the serial on its label, checked against its hwid. */
export const LaneScan = z.strictObject({
  port: Short,
  serial: Short,
  /** `pending` until the lane knows its hwid; `mismatch` fails the lane. */
  check: z.enum(['pending', 'match', 'mismatch']),
});
export type LaneScan = z.infer<typeof LaneScan>;

export const StationState = z.strictObject({
  sandbox: z.boolean(),
  /** Which profile is active, and whether it is the sandbox's. */
  profile: z.strictObject({ id: Short.nullable(), name: Short.nullable(), sandbox: z.boolean() }),
  ports: z.array(StationPort).max(512),
  session: SessionCounters,
  /** The work order stamped on every lane started from now on, until changed. */
  workOrder: Short.nullable(),
  /** Work order of each lane's current run. */
  laneWorkOrders: z.record(z.string(), Short),
  scans: z.array(LaneScan).max(512),
  prefs: StationPrefs,
});
export type StationState = z.infer<typeof StationState>;

export const LaneDetails = z.strictObject({
  lane: LaneView,
  workOrder: Short.optional(),
  scan: LaneScan.optional(),
  /** The device's own log lines on this port, secrets replaced, newest last. */
  log: z.array(Text).max(500),
  /** The journal record of the lane's last finished run. */
  record: z
    .strictObject({
      runId: Short,
      outcome: Short,
      time: Short,
      operator: Short,
      applicationId: Short.optional(),
      keyName: Short.optional(),
      newKey: Short.optional(),
      devicePathProven: z.boolean().optional(),
      timing: z
        .strictObject({
          totalMs: z.number(),
          deviceMs: z.number(),
          platformMs: z.number(),
          stationMs: z.number(),
        })
        .optional(),
      notes: z.array(Text).max(50),
    })
    .optional(),
  /** The platform device the lane maps to, read now. */
  platformDevice: z
    .strictObject({
      id: Short,
      name: Short,
      deviceClass: Short,
      tags: z.array(z.strictObject({ key: Short, value: Short })).max(100),
    })
    .optional(),
  platformProblem: Text.optional(),
});
export type LaneDetails = z.infer<typeof LaneDetails>;

export const ScanResult = z.strictObject({
  kind: z.enum(['work-order', 'serial']),
  value: Short,
  port: Short.optional(),
  /** What happened, in words, for the screen and its live region. */
  message: Text,
});
export type ScanResult = z.infer<typeof ScanResult>;

export const stationMethods = {
  'station.state': defineMethod({
    summary: 'Ports, session counters, work order, scans and preferences of the Station screen.',
    args: noArgs,
    result: StationState,
  }),
  'station.startAll': defineMethod({
    summary: 'Starts a lane on each given port, or on every port a lane may use.',
    args: z.strictObject({ ports: z.array(StationPortPath).max(256).optional() }),
    result: z.strictObject({ lanes: z.array(LaneView), skipped: z.array(Blocked.extend({ port: Short })) }),
  }),
  'station.locate': defineMethod({
    summary: 'Makes the unit on a port blink or beep (identify) so a person finds it on the bench.',
    args: z.strictObject({ port: StationPortPath }),
    result: z.strictObject({ seconds: z.number().int().positive() }),
  }),
  'station.scan': defineMethod({
    summary: 'A barcode scan: a work order (stamped on every later lane) or a serial number for a lane.',
    /** `port`: the tile the technician selected; otherwise the first port still waiting for a label. */
    args: z.strictObject({ text: ScanText, port: StationPortPath.optional() }),
    result: ScanResult,
  }),
  'station.clearWorkOrder': defineMethod({
    summary: 'Stops stamping a work order on new lanes.',
    args: noArgs,
    result: z.strictObject({ cleared: z.boolean() }),
  }),
  'station.resetCounters': defineMethod({
    summary: 'Starts a new session: the passed, failed and per-hour counters from zero.',
    args: noArgs,
    result: SessionCounters,
  }),
  'station.laneDetails': defineMethod({
    summary: 'Step timeline, device log, journal record and platform device of one lane.',
    args: z.strictObject({ laneId: Short }),
    result: LaneDetails,
  }),
  'station.getPrefs': defineMethod({
    summary: 'The station preferences (sandbox or platform, sounds, scanner, USB ids).',
    args: noArgs,
    result: StationPrefs,
  }),
  'station.setPrefs': defineMethod({
    summary: 'Changes station preferences (only the fields given).',
    args: StationPrefs.partial(),
    result: StationPrefs,
  }),
} as const;

export const stationEvents = {
  'station.state': defineEvent({ summary: 'The Station screen state changed.', payload: StationState }),
  'station.notify': defineEvent({
    summary: 'A lane passed or failed: the sound, and a system notification (Electron shell or browser).',
    payload: z.strictObject({
      laneId: Short,
      port: Short,
      outcome: z.enum(['passed', 'failed', 'skipped', 'unresolved']),
      title: Short,
      body: Text,
      sound: z.boolean(),
      notification: z.boolean(),
    }),
  }),
} as const;
