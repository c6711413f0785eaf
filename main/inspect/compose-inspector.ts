import os from 'node:os';
import type { Logger } from '../host/logger';
import type { SecretRedactor } from '../security/secret-redactor';
import { inspectPlatformFromEnv } from './inspect-env';
import { dataDirInspectJournal } from './inspect-journal';
import { InspectService, type InspectServiceOptions } from './inspect-service';
import { preferToken, sessionPlatformSource, type InspectSession } from './platform-access';

/** Seams the composition root may pass (tests, and the app once provisioning shares its journal). */
export type StationInspectOptions = Partial<Pick<InspectServiceOptions, 'source' | 'journal' | 'open' | 'now'>> & {
  /** Where KEYLINE_INSPECT_API_URL / KEYLINE_INSPECT_TOKEN are read (process.env by default). */
  env?: NodeJS.ProcessEnv;
};

/**
 * The app's inspector: lookups as the signed-in session unless the host was given an API token
 * for it (see inspect-env.ts), actions journaled in the data directory, devices over serial.
 */
export function composeInspector(
  options: StationInspectOptions & { redactor: SecretRedactor; logger: Logger; auth: InspectSession; dataDir: string },
): InspectService {
  const { redactor, dataDir } = options;
  return new InspectService({
    redactor,
    logger: options.logger,
    dataDir,
    station: os.hostname(),
    source:
      options.source ??
      preferToken(
        inspectPlatformFromEnv(options.env ?? process.env, redactor),
        sessionPlatformSource(options.auth, redactor),
      ),
    journal: options.journal ?? dataDirInspectJournal({ dataDir, redactor, command: 'Keyline app (inspector)' }),
    ...(options.open ? { open: options.open } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
