import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LaneLabels } from './lane-labels';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'keyline-labels-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LaneLabels', () => {
  it('saves a label per lane key and reads it back after a restart', async () => {
    const file = path.join(dir, 'lane-labels.json');
    const labels = await LaneLabels.load(file);
    expect(labels.get('usb-path:1-2.3')).toBeUndefined();
    await labels.set('usb-path:1-2.3', '  Hub A, port 3 ');
    await labels.set('usb-path:1-2.4', 'Hub A, port 4');
    await labels.set('usb-path:1-2.4', '');
    const again = await LaneLabels.load(file);
    expect(again.all()).toEqual({ 'usb-path:1-2.3': 'Hub A, port 3' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      labels: { 'usb-path:1-2.3': 'Hub A, port 3' },
    });
  });

  it('refuses a damaged file with a typed error instead of starting empty', async () => {
    const file = path.join(dir, 'lane-labels.json');
    await writeFile(file, '{"version":1,"labels":');
    await expect(LaneLabels.load(file)).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
  });
});
