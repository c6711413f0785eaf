import type { HostKind } from '../../common/contract';
import { appHandlers } from '../app/app-handlers';
import { AuthService, authHandlers, type AuthServiceOptions, type BuiltInProfile, type OpenExternal } from '../auth';
import { composeInspector, inspectHandlers, sharedInspectJournal, type StationInspectOptions } from '../inspect';
import { resolveDataDir } from '../storage/data-dir';
import type { ProvisioningService, StationProvisioningOptions } from '../provisioning';
import { SecretRedactor } from '../security/secret-redactor';
import {
  composeStationArea,
  PrefsStore,
  type SandboxHandle,
  type SaveFilePicker,
  type StationService,
} from '../station';
import { createDispatcher, type Dispatch, type Handlers } from './dispatcher';
import { EventHub } from './event-hub';
import { createLogger, type Logger } from './logger';

export interface StationOptions {
  host: HostKind;
  /**
   * Run against the embedded simulators. `auto` (what `npm start` and `npm run start:web` pass):
   * KEYLINE_SANDBOX=1|0 if set, else the station preference, whose default on a new install is
   * the sandbox. Absent: no sandbox (tests compose their own).
   */
  sandbox?: boolean | 'auto';
  /** How sandbox units connect: ptys where socat runs (default), or in-process virtual ports. */
  sandboxTransport?: 'auto' | 'pty' | 'virtual';
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
  /** Electron's save dialog for exports; the web host hands the text to the window instead. */
  saveFile?: SaveFilePicker;
  /** How often the Station screen lists ports (hot-plug); 0 only on request. */
  portPollMs?: number;
  /** Seams for the inspector (platform source, journal, serial opener); see docs/inspector.md. */
  inspect?: StationInspectOptions;
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
  /** The Station screen's side: ports, counters, scanner, notifications. */
  readonly station: StationService;
  /** The embedded simulators, when this station runs the sandbox. */
  readonly sandbox: SandboxHandle | undefined;
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
  const dataDir = options.dataDir ?? resolveDataDir();

  // Loaded only when wanted: the simulators (and oidc-provider) stay out of a real station's memory.
  const sandbox = (await wantsSandbox(options, dataDir))
    ? await (
        await import('./sandbox')
      ).startSandbox({ redactor, logger, transport: options.sandboxTransport ?? 'auto' })
    : undefined;
  if (sandbox) closers.push(() => sandbox.close());

  const auth = new AuthService({
    dataDir,
    redactor,
    openExternal: options.openExternal ?? ((url) => events.emit('auth.openBrowser', { url })),
    emit: {
      sessionChanged: (state) => events.emit('auth.session.changed', state),
      deviceCode: (prompt) => events.emit('auth.deviceCode', prompt),
    },
    sandbox: options.sandboxProfile ?? sandbox?.profile,
    onError: (error, context) => logger.warn({ err: error }, `sign-in: ${context}`),
    ...options.auth,
  });
  await auth.start();
  closers.push(() => auth.close());

  const area = await composeStationArea({
    host: options.host,
    dataDir,
    redactor,
    logger,
    events,
    auth,
    ...(sandbox ? { sandbox } : {}),
    ...(options.saveFile ? { saveFile: options.saveFile } : {}),
    ...(options.provisioning ? { provisioning: options.provisioning } : {}),
    ...(options.portPollMs !== undefined ? { pollMs: options.portPollMs } : {}),
  });
  closers.push(() => area.close());
  if (sandbox) closers.push(selectSandboxApplication(auth, events, sandbox, logger));

  const handlers: Handlers = {
    ...appHandlers({ host: options.host, sandbox: sandbox !== undefined }),
    ...authHandlers(auth),
    ...area.handlers,
    ...inspectHandlers({
      redactor,
      logger,
      service: composeInspector({
        redactor,
        logger,
        auth,
        dataDir,
        // One journal per data directory: inspector actions go into the chain the station keeps open.
        journal: sharedInspectJournal((entry) => area.appendJournal(entry)),
        ...options.inspect,
      }),
    }),
  };

  return {
    dispatch: createDispatcher(handlers, logger),
    events,
    logger,
    redactor,
    auth,
    provisioning: area.provisioning,
    station: area.station,
    sandbox,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}

async function wantsSandbox(options: StationOptions, dataDir: string): Promise<boolean> {
  if (options.sandbox !== 'auto') return options.sandbox ?? false;
  const env = process.env['KEYLINE_SANDBOX'];
  if (env === '1' || env === 'on') return true;
  if (env === '0' || env === 'off') return false;
  const prefs = await new PrefsStore(dataDir).get().catch(() => undefined);
  return (prefs?.platformMode ?? 'sandbox') === 'sandbox';
}

/**
 * After the sign-in to the sandbox, batches go to the demo application without a question: a
 * newcomer's first batch needs no setting. Returns the unsubscribe.
 */
function selectSandboxApplication(auth: AuthService, events: EventHub, sandbox: SandboxHandle, logger: Logger) {
  return events.subscribe((event, payload) => {
    if (event !== 'auth.session.changed') return;
    const state = payload as { status: string; profileId?: string | null };
    if (state.status !== 'signedIn' || state.profileId !== 'sandbox') return;
    void auth
      .target()
      .then((target) => (target.application ? undefined : auth.selectApplication(sandbox.applicationId)))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not choose the sandbox application'));
  });
}
