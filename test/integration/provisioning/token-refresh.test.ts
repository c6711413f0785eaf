import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVISIONING_SETTINGS } from '../../../common/contract/provisioning';
import { PlatformClient, type TokenSource } from '../../../main/platform';
import {
  platformPort,
  ProvisioningService,
  serialConnector,
  SettingsStore,
  type LaneEvents,
} from '../../../main/provisioning';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { usePipelineBench } from './harness';

const { platform, startBench } = usePipelineBench();

describe('an access token that expires mid-batch', () => {
  it('is refreshed transparently: every lane passes', async () => {
    const bench = await startBench(4);
    const expired = platform.seed.apiTokens.find((token) => token.id === platform.seed.expiredApiTokenId);
    expect(expired, 'the demo seed has an expired token').toBeDefined();
    platform.proxy.secrets.add(expired!.token);
    let current = platform.seed.apiToken;
    let refreshes = 0;
    const tokens: TokenSource = {
      getAccessToken: async () => current,
      refreshAfterUnauthorized: async (rejected) => {
        if (rejected === current) {
          refreshes += 1;
          current = platform.seed.apiToken;
        }
        return current;
      },
    };
    const redactor = new SecretRedactor();
    const steps: string[] = [];
    const events: LaneEvents = {
      laneAdded: () => undefined,
      laneUpdated: () => undefined,
      laneFinished: () => undefined,
      batch: () => undefined,
      laneStep: (step) => {
        steps.push(`${step.step}:${step.status}`);
        // The session expires while the batch runs: the first lane to mint sees the old token go stale.
        if (step.step === 'mint' && step.status === 'running' && refreshes === 0) current = expired!.token;
      },
    };
    const service = new ProvisioningService({
      dataDir: bench.dataDir,
      redactor,
      connector: serialConnector({ redactor }),
      target: async () => ({
        platform: platformPort(new PlatformClient({ apiUrl: platform.url, tokens, redactor })),
        operator: 'tech@example.com',
      }),
      settings: new SettingsStore(bench.dataDir),
      overrides: { ...DEFAULT_PROVISIONING_SETTINGS, applicationId: platform.seed.applicationId },
      station: 'bench-test',
      events,
      lockCommand: 'token refresh test',
    });
    try {
      await service.start(bench.ports);
      await service.idle();
      expect(service.lanes().map((lane) => `${lane.state}${lane.error ? ` ${lane.error.code}` : ''}`)).toEqual(
        Array(4).fill('passed'),
      );
      expect(refreshes).toBeGreaterThanOrEqual(1);
    } finally {
      await service.close();
    }
  });
});
