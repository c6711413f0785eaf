/**
 * The sandbox, the embedded default: the platform simulator with the demo seed and four simulated
 * units, on pseudo-terminals where socat exists and behind in-process virtual ports otherwise.
 * The only place in main/ that imports simulators (DESIGN.md §1, ESLint exempts this folder).
 */
import { spawnSync } from 'node:child_process';
import type { SandboxUnit } from '../../../common/contract/sandbox';
import { startPlatformSimulator } from '../../../simulators/platform';
import type { SecretRedactor } from '../../security/secret-redactor';
import type { SandboxHandle } from '../../station';
import type { Logger } from '../logger';
import { sandboxUnitSpecs, startPtyUnits, startVirtualUnits, type SandboxDevice, type SandboxUnits } from './units';
import { virtualOpener } from './virtual-opener';

export interface SandboxOptions {
  redactor: SecretRedactor;
  logger: Logger;
  /** `auto` (default): ptys when socat runs here, virtual ports otherwise. */
  transport?: 'auto' | 'pty' | 'virtual';
}

export function socatAvailable(): boolean {
  if (process.platform === 'win32') return false;
  const probe = spawnSync('socat', ['-V'], { stdio: 'ignore', timeout: 5000 });
  return probe.status === 0;
}

function unitView(device: SandboxDevice): SandboxUnit {
  return {
    port: device.port,
    hwid: device.hwid,
    model: device.model,
    plugged: device.plugged(),
    fault: device.fault(),
  };
}

/**
 * Starts the sandbox. Everything lives in memory: the simulator starts from the demo seed at each
 * launch and the units' flash is not kept, so no credential of theirs ever lands on disk.
 */
export async function startSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const sim = await startPlatformSimulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
  let units: SandboxUnits;
  try {
    const wanted = options.transport ?? 'auto';
    const pty = wanted === 'pty' || (wanted === 'auto' && socatAvailable());
    const specs = sandboxUnitSpecs(Number(process.env['KEYLINE_SANDBOX_UNITS'] ?? '4'));
    units = pty ? await startPtyUnits(specs) : await startVirtualUnits(specs);
  } catch (error) {
    await sim.close();
    throw error;
  }
  options.logger.info(
    { platformUrl: sim.url, transport: units.transport, ports: units.devices.map((device) => device.port) },
    'sandbox started',
  );
  const find = (port: string): SandboxDevice => {
    const device = units.devices.find((candidate) => candidate.port === port);
    if (!device) throw new Error(`${port} is not a sandbox unit`);
    return device;
  };
  const binding = units.binding;
  return {
    profile: { apiUrl: sim.url, clientId: sim.seed.oauthClientId, name: 'Sandbox (simulated platform)' },
    applicationId: sim.seed.applicationId,
    platformUrl: sim.url,
    transport: units.transport,
    simulatedPorts: () => units.devices.map((device) => device.port),
    ...(binding
      ? {
          opener: {
            owns: (path: string) => binding.has(path) || path.startsWith('sandbox://'),
            open: virtualOpener(binding, options.redactor),
          },
        }
      : {}),
    units: () => units.devices.map(unitView),
    async setFault(port, fault) {
      const device = find(port);
      device.setFault(fault);
      return unitView(device);
    },
    async plug(port, plugged) {
      const device = find(port);
      await (plugged ? device.replug() : device.unplug());
      return unitView(device);
    },
    async close() {
      await units.close();
      await sim.close();
    },
  };
}
