import type { HostKind } from '../../common/contract';
import { appHandlers } from '../app/app-handlers';
import { inspectHandlers } from '../inspect';
import { SecretRedactor } from '../security/secret-redactor';
import { createDispatcher, type Dispatch, type Handlers } from './dispatcher';
import { EventHub } from './event-hub';
import { createLogger, type Logger } from './logger';

export interface StationOptions {
  host: HostKind;
  /** Run against the embedded simulators (the default for a new install). */
  sandbox?: boolean;
  logger?: Logger;
}

/** Everything main offers a host: the dispatcher for calls, the hub for events, and one close(). */
export interface Station {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly logger: Logger;
  readonly redactor: SecretRedactor;
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

  const handlers: Handlers = {
    ...appHandlers({ host: options.host, sandbox: options.sandbox ?? false }),
    ...inspectHandlers({ redactor, logger }),
  };

  return {
    dispatch: createDispatcher(handlers, logger),
    events,
    logger,
    redactor,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
