import { describe, expect, it } from 'vitest';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { SerialLink } from '../../../main/serial';
import { usePipelineBench, type Bench } from './harness';

const { platform, startBench } = usePipelineBench();

async function keyStatus(id: string | null | undefined): Promise<string | undefined> {
  const { status, body } = await platform.api<{ status: string }>(
    'GET',
    `/applications/${platform.seed.applicationId}/keys/${id}`,
  );
  return status === 200 ? body.status : undefined;
}

/** Gives the device a key that is not Keyline's (shared or tag-based), through the serial protocol. */
async function installForeignKey(bench: Bench, body: Record<string, unknown>, deviceId: string) {
  const { body: key } = await platform.api<{ id: string; key: string; secret: string }>(
    'POST',
    `/applications/${platform.seed.applicationId}/keys`,
    { name: 'factory shared key', ...body },
  );
  platform.proxy.secrets.add(key.secret);
  const link = await SerialLink.open({ path: bench.ports[0]!, redactor: new SecretRedactor() });
  try {
    await link.client.stage({ deviceId, key: key.key, keyId: key.id, secret: key.secret, apiUrl: platform.url });
    await link.client.commit();
    await link.client.confirm();
  } finally {
    await link.close();
  }
  return key;
}

describe('rotation', () => {
  it('rotates make-before-break: new key proven, old key deactivated after confirm', async () => {
    const bench = await startBench(1);
    const first = (await bench.provision()).lines[0]!;
    expect(first.outcome).toBe('passed');
    const second = await bench.provision(['--if-provisioned', 'rotate']);
    const line = second.lines[0]!;
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(line).toMatchObject({ outcome: 'passed', rotation: true, deviceId: first.deviceId });
    expect(line.keyId).not.toBe(first.keyId);
    expect(await keyStatus(first.keyId)).toBe('inactive');
    expect(await keyStatus(line.keyId)).toBe('active');
    expect(bench.farm.devices[0]!.state().slots).toMatchObject({ active: { keyId: line.keyId }, previous: null });
    // The station proved the new key itself too (the device's own report alone proves nothing new).
    const events = platform.sim.events().filter((event) => event.type === 'auth.device');
    expect(events.length).toBeGreaterThanOrEqual(3);
  });

  it('deletes the old key when told to', async () => {
    const bench = await startBench(1);
    const first = (await bench.provision()).lines[0]!;
    const line = (await bench.provision(['--if-provisioned', 'rotate', '--retire-old-key', 'delete'])).lines[0]!;
    expect(line.outcome).toBe('passed');
    expect(await keyStatus(first.keyId)).toBeUndefined();
  });

  it('keeps the device and the old key as they were when the new key cannot be proven', async () => {
    const bench = await startBench(1);
    const first = (await bench.provision()).lines[0]!;
    bench.farm.devices[0]!.setFaults('no-network');
    const line = (await bench.provision(['--if-provisioned', 'rotate'])).lines[0]!;
    expect(line).toMatchObject({ outcome: 'failed', error: { code: 'VERIFY_NO_NETWORK' } });
    expect(await keyStatus(first.keyId)).toBe('active');
    expect(bench.farm.devices[0]!.state().slots.active?.keyId).toBe(first.keyId);
  });

  it.each([
    ['tag-based', (model: string) => ({ deviceTags: [{ key: 'model', value: model }] })],
    ['shared by two devices', () => ({ deviceIds: [] as string[] })],
  ])('never touches an old key that is %s, and reports it', async (_what, restriction) => {
    const bench = await startBench(1);
    const first = (await bench.provision()).lines[0]!;
    const other = platform.seed.devices.find((device) => device.deviceClass === 'standalone')!;
    const spec = restriction(bench.farm.devices[0]!.state().model);
    const shared = await installForeignKey(
      bench,
      'deviceIds' in spec ? { deviceIds: [first.deviceId, other.id] } : spec,
      first.deviceId!,
    );
    // The factory's key replaced Keyline's on the unit: Keyline's own is retired, as a person would.
    await platform.api('PATCH', `/applications/${platform.seed.applicationId}/keys/${first.keyId}`, {
      status: 'inactive',
    });
    const line = (await bench.provision(['--if-provisioned', 'rotate'])).lines[0]!;
    expect(line.outcome).toBe('passed');
    expect(line.notes?.join(' ')).toMatch(/shared or tag-based/);
    expect(await keyStatus(shared.id)).toBe('active');
  });

  it('asks when the policy is ask; without a terminal the answer is skip', async () => {
    const bench = await startBench(1);
    await bench.provision();
    const run = await bench.provision(['--if-provisioned', 'ask']);
    expect(run.lines[0]).toMatchObject({ outcome: 'skipped', error: { code: 'DEVICE_ALREADY_PROVISIONED' } });
    expect(run.code).toBe(1);
  });
});
