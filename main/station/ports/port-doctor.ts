import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { PortDiagnosis, DoctorPort, DoctorReport } from '../../../common/contract/ports';
import type { StationPrefs } from '../../../common/contract/station';
import { isSerialError } from '../../serial';
import { withDevice, type DeviceOpener } from '../device-opener';
import {
  busyDiagnosis,
  goneDiagnosis,
  modemManagerDiagnosis,
  noDeviceFinding,
  notInGroupFinding,
  permissionDiagnosis,
  sandboxDiagnosis,
  serialGroup,
} from './diagnose';
import { listStationPorts, type PortListOptions, type StationPortInfo } from './port-list';
import type { SystemFacts } from './system-facts';

export interface PortDoctorOptions {
  facts: SystemFacts;
  prefs: () => Pick<StationPrefs, 'allowUnknownAdapters' | 'usbIds'>;
  /** Watched and added paths. */
  userPaths: () => readonly string[];
  simulated: () => readonly string[];
  /** Whether the sandbox profile is active: real ports are then off limits. */
  sandboxActive: () => boolean;
  /** Ports of the lanes the station knows, to tell which device went missing. */
  lanePorts: () => readonly string[];
  opener: DeviceOpener;
  discover?: PortListOptions['discover'];
  now?: () => Date;
}

/**
 * The port doctor: every port found and every port left out, each explained, and what stops a
 * port from being used — permissions, another program holding it, ModemManager, a missing
 * device — with the exact fix. It never opens a port by itself (opening resets some boards);
 * `tryOpen` does, when the technician asks.
 */
export class PortDoctor {
  readonly #options: PortDoctorOptions;

  constructor(options: PortDoctorOptions) {
    this.#options = options;
  }

  async examine(extraPaths: readonly string[] = []): Promise<DoctorReport> {
    const { facts } = this.#options;
    const listed = await listStationPorts({
      prefs: this.#options.prefs(),
      userPaths: [...this.#options.userPaths(), ...extraPaths],
      simulated: this.#options.simulated(),
      ...(this.#options.discover ? { discover: this.#options.discover } : {}),
    });
    const [groups, modemManager] = await Promise.all([facts.groups(), facts.modemManager()]);
    const ports = await Promise.all(listed.ports.map((port) => this.#examinePort(port, groups, modemManager)));
    const findings: PortDiagnosis[] = [];
    const real = ports.filter((port) => !port.simulated);
    if (real.length === 0) findings.push(noDeviceFinding(facts.platform, listed.filtered.length));
    const known = new Set(ports.map((port) => port.path));
    for (const lanePort of new Set(this.#options.lanePorts())) {
      if (!known.has(lanePort)) findings.push({ ...goneDiagnosis(lanePort), title: `Device missing from ${lanePort}` });
    }
    if (facts.platform === 'linux' && facts.uid !== 0 && !groups.includes('dialout') && !groups.includes('uucp')) {
      const group = serialGroup(undefined);
      if (!ports.some((port) => port.diagnosis?.code === 'SERIAL_PERMISSION_DENIED')) {
        findings.push(notInGroupFinding(facts.user, group));
      }
    }
    if (modemManager === 'running' && real.some((port) => /ttyACM/.test(port.realPath ?? port.path))) {
      findings.push({
        ...modemManagerDiagnosis('ttyACM ports', undefined),
        message:
          'ModemManager is running and this station has ttyACM devices: it may hold them for a few seconds after they appear.',
      });
    }
    return {
      ports,
      filtered: listed.filtered.map((entry) => ({ path: entry.path, reason: entry.reason })),
      method: listed.method,
      ...(listed.listError !== undefined ? { listError: listed.listError.slice(0, 4000) } : {}),
      findings,
      environment: { platform: facts.platform, user: facts.user, groups: groups.slice(0, 200), modemManager },
      checkedAt: (this.#options.now?.() ?? new Date()).toISOString(),
    };
  }

  /** Opens the port once and closes it: proves it can be used, or says exactly why not. */
  async tryOpen(portPath: string): Promise<{ path: string; ok: boolean; diagnosis?: PortDiagnosis }> {
    try {
      await withDevice(this.#options.opener, portPath, async () => undefined, AbortSignal.timeout(5000));
      return { path: portPath, ok: true };
    } catch (error) {
      return { path: portPath, ok: false, diagnosis: await this.#diagnoseOpenError(portPath, error) };
    }
  }

  async #diagnoseOpenError(portPath: string, error: unknown): Promise<PortDiagnosis> {
    const { facts } = this.#options;
    const code = isSerialError(error) ? error.code : undefined;
    if (code === 'SERIAL_PERMISSION_DENIED') {
      return permissionDiagnosis(portPath, {
        platform: facts.platform,
        user: facts.user,
        deviceGroup: await facts.groupOf(portPath),
        groups: await facts.groups(),
      });
    }
    if (code === 'SERIAL_PORT_BUSY') {
      const real = await realPathOf(portPath);
      return busyDiagnosis(
        portPath,
        (await facts.holders(real)).filter((h) => h.pid !== facts.pid),
        facts.platform,
      );
    }
    if (code === 'SERIAL_PORT_NOT_FOUND') return goneDiagnosis(portPath);
    const message = error instanceof Error ? error.message : String(error);
    return {
      code: code ?? 'SERIAL_OPEN_FAILED',
      severity: 'error',
      title: 'Could not open the port',
      message: message.slice(0, 4000),
      fixes: [{ text: 'Unplug the adapter, plug it back in and try again.' }],
    };
  }

  async #examinePort(
    port: StationPortInfo,
    groups: string[],
    modemManager: 'running' | 'not-running' | 'unknown',
  ): Promise<DoctorPort> {
    const { facts } = this.#options;
    const realPath = port.realPath;
    const base = {
      path: port.path,
      realPath,
      source: port.simulated ? ('sandbox' as const) : port.source,
      simulated: port.simulated,
      ...pick(port),
      laneKey: port.laneKey,
      laneKeyReason: port.laneKeyReason,
    };
    const problem = await facts.accessProblem(realPath);
    if (problem === 'EACCES' || problem === 'EPERM') {
      const diagnosis = permissionDiagnosis(port.path, {
        platform: facts.platform,
        user: facts.user,
        deviceGroup: await facts.groupOf(realPath),
        groups,
      });
      return { ...base, status: 'problem', diagnosis, holders: [] };
    }
    if (problem === 'ENOENT' || problem === 'ENXIO' || problem === 'ENODEV') {
      return { ...base, status: 'problem', diagnosis: goneDiagnosis(port.path), holders: [] };
    }
    // socat holds both ends of the pseudo-terminals it makes (the sandbox, the device simulator):
    // that is the cable, not another program using the port.
    const pty = /^\/dev\/pts\//.test(realPath);
    const holders = (await facts.holders(realPath)).filter((holder) => !(pty && holder.command === 'socat'));
    const others = holders.filter((holder) => holder.pid !== facts.pid);
    if (others.length > 0) {
      return { ...base, status: 'problem', diagnosis: busyDiagnosis(port.path, others, facts.platform), holders };
    }
    if (!port.simulated && this.#options.sandboxActive()) {
      return { ...base, status: 'blocked', diagnosis: sandboxDiagnosis(), holders };
    }
    if (modemManager === 'running' && /ttyACM/.test(path.basename(realPath))) {
      return {
        ...base,
        status: holders.length > 0 ? 'in-use-here' : 'ready',
        diagnosis: modemManagerDiagnosis(port.path, port.vendorId),
        holders,
      };
    }
    return { ...base, status: holders.length > 0 ? 'in-use-here' : 'ready', holders };
  }
}

function pick(port: StationPortInfo) {
  const fields = [
    'family',
    'vendorId',
    'productId',
    'serialNumber',
    'manufacturer',
    'product',
    'usbPath',
    'byId',
  ] as const;
  const out: Partial<Record<(typeof fields)[number], string>> = {};
  for (const field of fields) {
    const value = port[field];
    if (value !== undefined) out[field] = String(value).slice(0, 500);
  }
  return out;
}

function realPathOf(portPath: string): Promise<string> {
  return realpath(portPath).catch(() => portPath);
}
