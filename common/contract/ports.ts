/**
 * The port doctor: every serial port the station found and every one it left out, each explained,
 * with the exact fix for what technicians hit daily (permissions, a busy port, ModemManager, a
 * device that does not show up).
 */
import { z } from 'zod';
import { defineMethod } from './define';
import { StationPortPath } from './station';

const Text = z.string().max(4000);
const Short = z.string().max(500);

/** One thing to do about a problem: words, and a command to paste when there is one. */
export const Fix = z.strictObject({ text: Text, command: Text.optional() });
export type Fix = z.infer<typeof Fix>;

export const PortDiagnosis = z.strictObject({
  code: z.string().max(100),
  severity: z.enum(['error', 'warning', 'info']),
  title: Short,
  message: Text,
  fixes: z.array(Fix).max(10),
});
export type PortDiagnosis = z.infer<typeof PortDiagnosis>;

export const PortStatus = z.enum(['ready', 'in-use-here', 'problem', 'blocked']);
export type PortStatus = z.infer<typeof PortStatus>;

export const DoctorPort = z.strictObject({
  path: Short,
  realPath: Short.optional(),
  /** How it was found: SerialPort.list(), the /dev scan, a path the user added, or the sandbox. */
  source: z.enum(['list', 'scan', 'user', 'sandbox']),
  simulated: z.boolean(),
  family: Short.optional(),
  vendorId: z.string().max(10).optional(),
  productId: z.string().max(10).optional(),
  serialNumber: Short.optional(),
  manufacturer: Short.optional(),
  product: Short.optional(),
  usbPath: Short.optional(),
  byId: Short.optional(),
  laneKey: Short,
  laneKeyReason: Short,
  status: PortStatus,
  /** What is wrong, when something is (or why the sandbox will not use it). */
  diagnosis: PortDiagnosis.optional(),
  /** Processes holding the port open, when the system lets Keyline see them. */
  holders: z.array(z.strictObject({ pid: z.number().int(), command: Short })).max(20),
});
export type DoctorPort = z.infer<typeof DoctorPort>;

export const FilteredPortView = z.strictObject({ path: Short, reason: Text });

export const DoctorReport = z.strictObject({
  ports: z.array(DoctorPort).max(512),
  filtered: z.array(FilteredPortView).max(512),
  method: z.enum(['list', 'scan']),
  listError: Text.optional(),
  /** Findings about the whole station: no device found, ModemManager running, not in dialout. */
  findings: z.array(PortDiagnosis).max(20),
  environment: z.strictObject({
    platform: z.string().max(40),
    user: Short,
    groups: z.array(z.string().max(100)).max(200),
    modemManager: z.enum(['running', 'not-running', 'unknown']),
  }),
  checkedAt: z.string(),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

export const portsMethods = {
  'ports.doctor': defineMethod({
    summary: 'Finds every serial port, explains each one left out, and diagnoses the ones that cannot be used.',
    args: z.strictObject({
      /** Extra paths to check this time (a pseudo-terminal, a port a technician typed). */
      paths: z.array(StationPortPath).max(16).optional(),
    }),
    result: DoctorReport,
  }),
  'ports.tryOpen': defineMethod({
    summary: 'Opens a port once and closes it again, to prove it can be used (may reset some boards).',
    args: z.strictObject({ path: StationPortPath }),
    result: z.strictObject({ path: Short, ok: z.boolean(), diagnosis: PortDiagnosis.optional() }),
  }),
} as const;
