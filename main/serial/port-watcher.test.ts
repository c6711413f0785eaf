import { describe, expect, it } from 'vitest';
import type { DiscoveredPort, DiscoveryResult } from './port-discovery';
import { PortWatcher } from './port-watcher';

const port = (path: string, realPath = path): DiscoveredPort => ({
  path,
  realPath,
  source: 'user',
  laneKey: `path:${path}`,
  laneKeyReason: 'port path',
});

describe('PortWatcher', () => {
  it('reports arrivals and departures between rounds, and a re-plug to a new node as both', async () => {
    const rounds: DiscoveredPort[][] = [
      [port('/dev/a', '/dev/pts/1')],
      [port('/dev/a', '/dev/pts/1'), port('/dev/b', '/dev/pts/2')],
      [port('/dev/b', '/dev/pts/2')],
      [port('/dev/b', '/dev/pts/5')],
    ];
    let round = 0;
    const watcher = new PortWatcher({
      discover: async (): Promise<DiscoveryResult> => ({
        ports: rounds[Math.min(round++, rounds.length - 1)]!,
        filtered: [],
        method: 'scan',
      }),
    });
    const events: string[] = [];
    watcher.on('arrived', (p) => events.push(`+${p.path}@${p.realPath}`));
    watcher.on('left', (p) => events.push(`-${p.path}@${p.realPath}`));
    for (let i = 0; i < 4; i++) await watcher.poll();
    expect(events).toEqual([
      '+/dev/a@/dev/pts/1',
      '+/dev/b@/dev/pts/2',
      '-/dev/a@/dev/pts/1',
      '-/dev/b@/dev/pts/2',
      '+/dev/b@/dev/pts/5',
    ]);
    expect(watcher.ports.map((p) => p.realPath)).toEqual(['/dev/pts/5']);
  });

  it('keeps the last known ports and reports the error when discovery fails', async () => {
    let fail = false;
    const watcher = new PortWatcher({
      discover: async () => {
        if (fail) throw new Error('sysfs unreadable');
        return { ports: [port('/dev/a')], filtered: [], method: 'scan' };
      },
    });
    const errors: string[] = [];
    watcher.on('error', (error) => errors.push(error.message));
    await watcher.poll();
    fail = true;
    await watcher.poll();
    expect(errors).toEqual(['sysfs unreadable']);
    expect(watcher.ports).toHaveLength(1);
  });
});
