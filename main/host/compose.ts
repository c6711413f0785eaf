import type { HostKind } from '../../common/contract';
import { appHandlers } from '../app/app-handlers';
import { inspectHandlers } from '../inspect';
import { AuthService, authHandlers, type AuthServiceOptions, type BuiltInProfile, type OpenExternal } from '../auth';
import { resolveDataDir } from '../storage/data-dir';
import {
  composeProvisioning,
  provisioningHandlers,
  type ProvisioningService,
  type StationProvisioningOptions,
} from '../provisioning';
import { SecretRedactor } from '../security/secret-redactor';
import { createDispatcher, type Dispatch, type Handlers } from './dispatcher';
import { EventHub } from './event-hub';
import { createLogger, type Logger } from './logger';

export interface StationOptions {
  host: HostKind;
  /** Run against the embedded simulators (the default for a new install). */
  sandbox?: boolean;
  logger?: Logger;
  /** The data directory (profiles, locks); resolveDataDir() when absent. */
  dataDir?: string;
  /** Opens the vetted authorization URL: shell.openExternal in Electron; the web host asks the window. */
  openExternal?: OpenExternal;
  /** The embedded simulator's profile, whose URL is known only at launch. */
  sandboxProfile?: BuiltInProfile;
  /** Test seams for sign-in (keychain, fetch, clock, browser time limit). */
  auth?: Partial<Pick<AuthServiceOptions, 'secretStore' | 'fetch' | 'clock' | 'browserTimeoutMs' | 'lockOptions'>>;
  /** Seams for the pipeline (the sandbox's device connector, step timeouts). */
  provisioning?: StationProvisioningOptions;
}

/** Everything main offers a host: the dispatcher for calls, the hub for events, and one close(). */
export interface Station {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly logger: Logger;
  readonly redactor: SecretRedactor;
  /** Technician sign-in; also the access token provider for platform calls. */
  readonly auth: AuthService;
  /** The pipeline: lanes, settings, journal. */
  readonly provisioning: ProvisioningService;
  close(): Promise<void>;
}

/**
 * The composition root: the one place that builds the main-side services and wires their handlers
 * into the contract. Hosts (Electron, web, tests) call this and nothing deeper.
 */
export async function composeStation(options: StationOptions): Promise<Station> {
  const redactor = new SecretRedactor();
  const logger = options.logger ?? createLogger({ redactor });
  const events = new EventHub();
  const closers: Array<() => Promise<void> | void> = [];

  const auth = new AuthService({
    dataDir: options.dataDir ?? resolveDataDir(),
    redactor,
    openExternal: options.openExternal ?? ((url) => events.emit('auth.openBrowser', { url })),
    emit: {
      sessionChanged: (state) => events.emit('auth.session.changed', state),
      deviceCode: (prompt) => events.emit('auth.deviceCode', prompt),
    },
    sandbox: options.sandboxProfile,
    onError: (error, context) => logger.warn({ err: error }, `sign-in: ${context}`),
    ...options.auth,
  });
  await auth.start();
  closers.push(() => auth.close());

  const provisioning = composeProvisioning({
    dataDir: options.dataDir ?? resolveDataDir(),
    redactor,
    events,
    logger,
    auth,
    ...options.provisioning,
  });
  closers.push(() => provisioning.close());

  const handlers: Handlers = {
    ...appHandlers({ host: options.host, sandbox: options.sandbox ?? false }),
    ...inspectHandlers({ redactor, logger }),
    ...authHandlers(auth),
    ...provisioningHandlers(provisioning),
  };

  return {
    dispatch: createDispatcher(handlers, logger),
    events,
    logger,
    redactor,
    auth,
    provisioning,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
