import { randomBytes } from 'node:crypto';
import type { SecretRedactor } from '../security/secret-redactor';
import { SerialLink, type DeviceInfo, type TestReport } from '../serial';

/** What the inspector asks a device: who it is, and (a probe) whether its active credentials work. */
export interface DeviceConnection {
  hello(options?: { signal?: AbortSignal }): Promise<DeviceInfo>;
  test(slot: 'active', nonce: string, options?: { signal?: AbortSignal }): Promise<TestReport>;
  close(): Promise<void>;
}

export type DeviceOpener = (port: string, signal?: AbortSignal) => Promise<DeviceConnection>;

/** The real serial link (docs/serial-protocol.md): one port, opened for the inspection and closed after. */
export function serialDeviceOpener(redactor: SecretRedactor): DeviceOpener {
  return async (port, signal) => {
    const link = await SerialLink.open({ path: port, redactor, signal });
    return {
      hello: (options) => link.client.hello(options),
      test: (slot, nonce, options) => link.client.test(slot, nonce, options),
      close: () => link.close(),
    };
  };
}

export type DeviceTestResult = { report: TestReport } | { skipped: string };

export interface DeviceProbe {
  port: string;
  info: DeviceInfo;
  /** Null when no test was asked for. */
  test: DeviceTestResult | null;
}

/**
 * Asks the device `hello` and, when wanted and possible, lets it authenticate with its active
 * credentials against the platform (`test`, which also reports a state with a fresh nonce). The
 * port is held only for this.
 */
export async function probeDevice(
  open: DeviceOpener,
  port: string,
  options: { test: boolean; signal?: AbortSignal },
): Promise<DeviceProbe> {
  const connection = await open(port, options.signal);
  try {
    const info = await connection.hello({ signal: options.signal });
    if (!options.test) return { port, info, test: null };
    let test: DeviceTestResult;
    if (!info.slots.active) test = { skipped: 'the device holds no active credentials to test' };
    else if (!info.caps.includes('test')) {
      test = { skipped: `the device (${info.model} ${info.fw}) has no network test: it does not announce "test"` };
    } else {
      const nonce = `inspect-${randomBytes(9).toString('base64url')}`;
      test = { report: await connection.test('active', nonce, { signal: options.signal }) };
    }
    return { port, info, test };
  } finally {
    await connection.close();
  }
}
