import { SerialLink, type DeviceInfo, type DeviceLogLine, type SlotSummary, type TestReport } from '../../serial';
import type { SecretRedactor } from '../../security/secret-redactor';
import type { DeviceConnector, DeviceHello, DeviceLink, DeviceTestResult, SlotInfo } from '../ports';

function slot(summary: SlotSummary | null): SlotInfo | undefined {
  if (!summary) return undefined;
  return {
    deviceId: summary.deviceId,
    accessKey: summary.key,
    ...(summary.keyId ? { keyId: summary.keyId } : {}),
    fingerprintPrefix: summary.fp,
  };
}

export function helloOf(info: DeviceInfo): DeviceHello {
  const { active, staged, previous, pending } = info.slots;
  return {
    protocolVersion: info.proto,
    model: info.model,
    hwid: info.hwid,
    firmware: info.fw,
    capabilities: info.caps,
    clock: info.clock,
    slots: {
      ...(active ? { active: slot(active) } : {}),
      ...(staged ? { staged: slot(staged) } : {}),
      ...(previous ? { previous: slot(previous) } : {}),
      pending,
    },
  };
}

const NETWORK_FAILURES = new Set(['NO_NETWORK', 'DNS', 'CONNECT', 'TLS', 'TIMEOUT']);

export function testResultOf(report: TestReport): DeviceTestResult {
  const auth = report.steps.find((step) => step.step === 'auth');
  const state = report.steps.find((step) => step.step === 'state');
  // The device stops at the first failed step, so the last step's Retry-After is the one that counts.
  const retryAfter = (state ?? auth)?.retryAfter;
  const statuses = {
    ...(auth && auth.status > 0 ? { authStatus: auth.status } : {}),
    ...(state && state.status > 0 ? { reportStatus: state.status } : {}),
    ...(!report.passed && retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}),
  };
  if (report.passed) return { ok: true, ...statuses };
  const failure = report.failure ?? 'INCOMPLETE';
  if (NETWORK_FAILURES.has(failure)) return { ok: false, failure: 'network', detail: failure, ...statuses };
  if (failure === 'CLOCK_INVALID') return { ok: false, failure: 'clock', detail: failure, ...statuses };
  if (failure === 'AUTH_REJECTED' || failure === 'AUTH_FAILED')
    return { ok: false, failure: 'auth', detail: failure, ...statuses };
  if (failure === 'STATE_REJECTED' || failure === 'STATE_FAILED')
    return { ok: false, failure: 'report', detail: failure, ...statuses };
  return { ok: false, failure: 'other', detail: failure, ...statuses };
}

const CLOSE_LIMIT_MS = 2000;

/**
 * A lane never waits long on closing a port (a driver may be slow to answer for a port whose
 * device vanished); the close goes on in the background.
 */
function closeWithin(link: SerialLink, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    link.close().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

/** The pipeline's device link over the serial protocol client (main/serial/). */
export function deviceLinkOver(link: SerialLink): DeviceLink {
  const { client } = link;
  return {
    path: link.path,
    hello: async (signal) => helloOf(await client.hello({ signal })),
    stage: async (request, signal) => {
      const result = await client.stage(
        {
          deviceId: request.deviceId,
          key: request.accessKey,
          ...(request.keyId ? { keyId: request.keyId } : {}),
          secret: request.secret,
          apiUrl: request.apiUrl,
          ...(request.mqttBroker ? { mqttUrl: request.mqttBroker } : {}),
        },
        { signal },
      );
      return { fingerprint: result.fingerprint };
    },
    test: async ({ slot: which, nonce }, signal) => testResultOf(await client.test(which, nonce, { signal })),
    commit: async (signal) => void (await client.commit({ signal })),
    confirm: async (signal) => void (await client.confirm({ signal })),
    rollback: async (signal) => void (await client.rollback({ signal })),
    discard: async (signal) => void (await client.discard({ signal })),
    identify: async (signal) => client.identify(10, { signal }),
    close: () => closeWithin(link, CLOSE_LIMIT_MS),
  };
}

export interface SerialConnectorOptions {
  redactor: SecretRedactor;
  baudRate?: number;
  /** Device log lines, already redacted by the serial client. */
  onLog?: (line: DeviceLogLine) => void;
}

/** Opens ports with the real `serialport` and the protocol client. */
export function serialConnector(options: SerialConnectorOptions): DeviceConnector {
  return {
    async open(path, signal) {
      const link = await SerialLink.open({
        path,
        redactor: options.redactor,
        signal,
        ...(options.baudRate ? { baudRate: options.baudRate } : {}),
      });
      if (options.onLog) link.client.on('log', options.onLog);
      return deviceLinkOver(link);
    },
  };
}
