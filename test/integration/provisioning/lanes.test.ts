import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVISIONING_SETTINGS, type LaneView } from '../../../common/contract/provisioning';
import { PlatformClient, staticTokenSource } from '../../../main/platform';
import {
  platformPort,
  ProvisioningService,
  serialConnector,
  SettingsStore,
  type LaneEvents,
} from '../../../main/provisioning';
import { portInfo } from '../../../main/provisioning/port-info';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { discoverPorts, PortWatcher } from '../../../main/serial';
import { acquireDataDirLock } from '../../../main/storage/data-dir-lock';
import { provisionInProcess, usePipelineBench, type Bench } from './harness';

const { platform, startBench } = usePipelineBench();

async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('lanes through real parts', () => {
  it('without KEYLINE_TOKEN and with no one signed in, says how to sign in and touches nothing', async () => {
    const bench = await startBench(1);
    const run = await provisionInProcess(
      [
        '--api',
        platform.url,
        '--app',
        platform.seed.applicationId,
        '--port',
        bench.ports[0]!,
        '--data-dir',
        bench.dataDir,
      ],
      {},
    );
    bench.outputs.push(run.stdout, run.stderr);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/AUTH_SIGNED_OUT/);
    expect(run.stderr).toMatch(/KEYLINE_TOKEN/);
    expect(bench.farm.devices[0]!.state().slots.staged).toBeNull();
  });

  it('refuses a second process on the same data directory, naming who holds it', async () => {
    const bench = await startBench(1);
    const lock = await acquireDataDirLock(bench.dataDir, { command: 'Keyline app' });
    try {
      const run = await bench.provision();
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/DATA_DIR_LOCKED/);
      expect(run.stderr).toMatch(/held by Keyline app \(pid \d+\)/);
    } finally {
      await lock.release();
    }
    expect((await bench.provision()).code).toBe(0);
  });

  it('starts a lane by itself when a device arrives on a watched port, and retries failed lanes', async () => {
    const bench = await startBench(2);
    const [watched, flaky] = bench.farm.devices as [Bench['farm']['devices'][number], Bench['farm']['devices'][number]];
    await watched.unplug();
    const redactor = new SecretRedactor();
    const finished: LaneView[] = [];
    const events: LaneEvents = {
      laneAdded: () => undefined,
      laneUpdated: () => undefined,
      laneStep: () => undefined,
      batch: () => undefined,
      laneFinished: (view) => finished.push(view),
    };
    const service = new ProvisioningService({
      dataDir: bench.dataDir,
      redactor,
      connector: serialConnector({ redactor }),
      target: async () => ({
        platform: platformPort(
          new PlatformClient({ apiUrl: platform.url, tokens: staticTokenSource(platform.seed.apiToken), redactor }),
        ),
        operator: 'tech@example.com',
      }),
      settings: new SettingsStore(bench.dataDir),
      overrides: {
        ...DEFAULT_PROVISIONING_SETTINGS,
        applicationId: platform.seed.applicationId,
        autoStart: true,
        watchedPorts: [watched.link],
      },
      station: 'bench-test',
      events,
      lockCommand: 'lanes test',
      helloGraceMs: 1000,
    });
    const watcher = new PortWatcher({
      discover: () => discoverPorts({ userDirs: [bench!.farm.linkDir!] }),
      intervalMs: 100,
    });
    watcher.on('arrived', (port) => service.portArrived(portInfo(port)));
    watcher.on('left', (port) => service.portLeft(portInfo(port)));
    try {
      await service.reconcile();
      watcher.start();
      // The flaky unit is not watched: it is started by hand, and fails.
      flaky.setFaults('no-network');
      await service.start([flaky.link]);
      await until('the flaky lane to fail', () => finished.some((view) => view.port === flaky.link));
      expect(finished.find((view) => view.port === flaky.link)?.error?.code).toBe('VERIFY_NO_NETWORK');

      await watched.replug();
      await until('the watched lane to pass', () => finished.some((view) => view.port === watched.link));
      expect(finished.find((view) => view.port === watched.link)?.state).toBe('passed');

      flaky.setFaults('');
      const retried = await service.retry();
      expect(retried.map((view) => view.port)).toEqual([flaky.link]);
      await service.idle();
      expect(
        service
          .lanes()
          .map((view) => `${view.port}:${view.state}`)
          .sort(),
      ).toEqual([`${flaky.link}:passed`, `${watched.link}:passed`].sort());
    } finally {
      await watcher.stop();
      await service.close();
    }
  });
});
