import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/keyline';
import { startDeviceFarm, type DeviceFarm } from '../../../simulators/device';

let farm: DeviceFarm;
beforeAll(async () => {
  farm = await startDeviceFarm(2, { bootMs: 20, chatterMs: 0 });
});
afterAll(async () => {
  await farm.close();
});

async function ports(argv: string[]) {
  let stdout = '';
  const code = await runCli(['ports', ...argv], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stdout += text),
    env: {},
    stdin: new PassThrough(),
    isTTY: false,
  });
  return { code, stdout };
}

describe('keyline ports', () => {
  it('lists the pseudo-terminals of a bench folder with their lanes, and why others were left out', async () => {
    const { code, stdout } = await ports(['--dir', farm.linkDir!, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { ports: Array<{ path: string; laneKey: string }>; filtered: unknown[] };
    expect(result.ports.map((port) => port.path).sort()).toEqual(farm.devices.map((device) => device.link).sort());
    expect(result.ports[0]?.laneKey).toMatch(/^path:/);
    expect(Array.isArray(result.filtered)).toBe(true);
  });

  it('explains in words on a terminal', async () => {
    const { stdout } = await ports(['--add', farm.devices[0]!.link]);
    expect(stdout).toContain(farm.devices[0]!.link);
    expect(stdout).toMatch(/lane: path:/);
  });
});
