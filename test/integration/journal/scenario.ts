import { openJournal } from '../../../main/provisioning/journal';
import { acquireDataDirLock } from '../../../main/storage/data-dir-lock';

export const DEVICE_A = '5f0c9a1b2c3d4e5f60718293';
export const DEVICE_B = '5f0c9a1b2c3d4e5f60718294';
export const KEY_1 = '65a1b2c3d4e5f60718293a4b';
export const KEY_2 = '65a1b2c3d4e5f60718293a4c';
export const KEY_OLD = '65a1b2c3d4e5f60718293a4d';

/**
 * A day at a bench, written with a fixed clock and a fixed process identity so the files (hashes
 * included) are the same on every run: the golden exports are compared byte for byte.
 */
export async function writeScenario(dataDir: string): Promise<void> {
  let tick = Date.parse('2025-03-04T09:00:00.000Z');
  const clock = () => new Date((tick += 1500));
  const lock = await acquireDataDirLock(dataDir, {
    command: 'keyline provision',
    env: { pid: 4321, hostname: 'bench-1', bootId: undefined, now: clock },
  });
  const journal = await openJournal({ lock, clock });
  const context = { operator: 'ann', station: 'bench-1', workOrder: 'WO-17' };
  try {
    // A device provisioned and verified.
    await journal.append({
      kind: 'intent',
      runId: 'r-0001',
      action: 'provision',
      hwid: 'AA:BB:CC:00:00:01',
      keyName: 'keyline-r-0001',
      port: '/dev/ttyACM0',
      deviceId: DEVICE_A,
      verification: 'device',
      ...context,
    });
    await journal.append({ kind: 'step', runId: 'r-0001', step: 'mint', status: 'passed', ms: 84, accessKeyId: KEY_1 });
    await journal.append({
      kind: 'outcome',
      runId: 'r-0001',
      action: 'provision',
      outcome: 'passed',
      hwid: 'AA:BB:CC:00:00:01',
      deviceId: DEVICE_A,
      accessKeyId: KEY_1,
      fingerprintPrefix: '9f86d081884c7d65',
      verification: 'device',
      startedAt: '2025-03-04T09:00:01.500Z',
      durationMs: 2412.6,
      port: '/dev/ttyACM0',
      ...context,
      steps: [
        { name: 'identify', status: 'passed', ms: 120 },
        { name: 'resolve', status: 'passed', ms: 95 },
        { name: 'mint', status: 'passed', ms: 84 },
        { name: 'stage', status: 'passed', ms: 310 },
        { name: 'verify', status: 'passed', ms: 1650 },
        { name: 'commit', status: 'passed', ms: 153 },
      ],
    });
    // A device whose staging failed: the message would be a formula in a spreadsheet.
    await journal.append({
      kind: 'intent',
      runId: 'r-0002',
      action: 'provision',
      hwid: 'AA:BB:CC:00:00:02',
      keyName: 'keyline-r-0002',
      port: '/dev/ttyACM1',
      ...context,
    });
    await journal.append({
      kind: 'outcome',
      runId: 'r-0002',
      action: 'provision',
      outcome: 'failed',
      hwid: 'AA:BB:CC:00:00:02',
      error: {
        code: 'DEVICE_FINGERPRINT_MISMATCH',
        message: '=HYPERLINK("http://evil") fingerprint differs, "key revoked"',
      },
      durationMs: 911,
      port: '/dev/ttyACM1',
      ...context,
    });
    // Already provisioned and skipped by policy: no intent.
    await journal.append({
      kind: 'outcome',
      runId: 'r-0003',
      outcome: 'skipped',
      hwid: 'AA:BB:CC:00:00:03',
      deviceId: DEVICE_B,
      port: '/dev/ttyACM2',
      durationMs: 40,
      ...context,
    });
    // A rotation whose commit reply was lost: unresolved, then settled by recovery.
    await journal.append({
      kind: 'intent',
      runId: 'r-0004',
      action: 'rotate',
      hwid: 'AA:BB:CC:00:00:04',
      keyName: 'keyline-r-0004',
      previousAccessKeyId: KEY_OLD,
      port: '/dev/ttyACM3',
      verification: 'station',
      ...context,
    });
    await journal.append({
      kind: 'outcome',
      runId: 'r-0004',
      action: 'rotate',
      outcome: 'unresolved',
      accessKeyId: KEY_2,
      error: { code: 'SERIAL_TIMEOUT', message: 'no reply to commit, device may run on the new key' },
      durationMs: 5003,
      ...context,
      port: '/dev/ttyACM3',
    });
    await journal.append({
      kind: 'reconcile',
      runId: 'r-0004',
      action: 'kept-key',
      reason: 'hello shows the device runs on the new key',
      outcome: 'reconciled',
      accessKeyId: KEY_2,
      ...context,
    });
    // Interrupted: an intent and nothing after it.
    await journal.append({
      kind: 'intent',
      runId: 'r-0005',
      action: 'provision',
      hwid: '-1+2',
      keyName: 'keyline-r-0005',
      port: '/dev/ttyACM0',
      ...context,
    });
  } finally {
    await journal.close();
    await lock.release();
  }
}
