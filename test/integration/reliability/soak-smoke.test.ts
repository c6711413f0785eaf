/**
 * A short run of the soak (`npm run soak`) as a test, so its fault injection and every one of its
 * checks run in CI: 8 units on 4 lanes at a 20% fault rate. The full run (1,000 units, 32 lanes)
 * is recorded in docs/reliability.md.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function soak(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/soak.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run soak (smoke)', () => {
  it('runs 8 units on 4 lanes under faults and reports every invariant held, last line one JSON object', async () => {
    const { code, stdout, stderr } = await soak([
      '--devices',
      '8',
      '--lanes',
      '4',
      '--fault-rate',
      '0.2',
      '--seed',
      '20261126',
      '--rotate-fraction',
      '0.5',
      '--max-minutes',
      '4',
    ]);
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining([
        'attempts',
        'passed',
        'failed',
        'journalRecords',
        'orphanKeys',
        'brokenDevices',
        'secretsFound',
        'peakRssMb',
      ]),
    );
    expect(summary['attempts']).toBeGreaterThanOrEqual(8);
    expect((summary['passed'] as number) + (summary['failed'] as number) + (summary['skipped'] as number)).toBe(
      summary['attempts'],
    );
    expect(summary['journalRecords']).toBe(summary['attempts']);
    expect(summary['orphanKeys']).toBe(0);
    expect(summary['brokenDevices']).toBe(0);
    expect(summary['secretsFound']).toBe(0);
    expect(summary['secretsKnown']).toBeGreaterThan(8);
    expect(summary['devices']).toBe(8);
    expect(summary['peakRssMb']).toBeGreaterThan(0);
    expect(summary['platformRequests']).toBeGreaterThan(50);
    expect(stdout).toContain('every invariant held');
    expect(code, stderr).toBe(0);
  }, 240_000);

  it('refuses a usage error with status 2', async () => {
    const { code, stderr } = await soak(['--devices', 'many', '--lanes', '4', '--fault-rate', '0.05']);
    expect(code).toBe(2);
    expect(stderr).toContain('--devices must be a whole number');
  });
});
