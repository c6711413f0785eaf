import type { TestStep } from '../../common/serial';
import type { StoredSlot } from './flash';

export interface PlatformTestInput {
  slot: StoredSlot;
  nonce: string;
  /** Where the calls go: the slot's API URL, or the simulator's `--platform` override. */
  baseUrl: string;
  fetch: typeof fetch;
  signal: AbortSignal;
  timeoutMs: number;
}

export interface PlatformTestResult {
  passed: boolean;
  steps: TestStep[];
}

const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Version': '^1.30.0' };

/**
 * What real firmware does for `test` (docs/serial-protocol.md §5.3): authenticate with the slot's
 * key and secret, then report a state carrying the nonce with the device token. Real HTTP, so
 * the platform simulator (or the real platform) sees a real device.
 */
export async function runPlatformTest(input: PlatformTestInput): Promise<PlatformTestResult> {
  const base = input.baseUrl.replace(/\/+$/, '');
  const auth = await step('auth', input, `${base}/auth/device`, undefined, {
    deviceId: input.slot.deviceId,
    key: input.slot.key,
    secret: input.slot.secret,
  });
  if (auth.result.status !== 200 || auth.result.error) return { passed: false, steps: [auth.result] };
  const body = auth.body as { token?: unknown; applicationId?: unknown } | undefined;
  if (
    typeof body?.token !== 'string' ||
    typeof body.applicationId !== 'string' ||
    !/^[0-9a-f]{24}$/i.test(body.applicationId)
  ) {
    return { passed: false, steps: [{ ...auth.result, error: 'BAD_RESPONSE' }] };
  }
  const url = `${base}/applications/${body.applicationId}/devices/${input.slot.deviceId}/state`;
  const state = await step('state', input, url, body.token, { data: { keylineNonce: input.nonce } });
  return { passed: state.result.status === 200 && !state.result.error, steps: [auth.result, state.result] };
}

async function step(
  name: TestStep['step'],
  input: PlatformTestInput,
  url: string,
  token: string | undefined,
  payload: unknown,
): Promise<{ result: TestStep; body?: unknown }> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const response = await input.fetch(url, {
      method: 'POST',
      headers: token ? { ...HEADERS, Authorization: `Bearer ${token}` } : HEADERS,
      body: JSON.stringify(payload),
      redirect: 'manual',
      signal: AbortSignal.any([input.signal, AbortSignal.timeout(input.timeoutMs)]),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const retryAfter = retryAfterSeconds(response);
    return {
      result: { step: name, status: response.status, ms: ms(), ...(retryAfter !== undefined ? { retryAfter } : {}) },
      body,
    };
  } catch (error) {
    return { result: { step: name, status: 0, ms: ms(), error: stepError(error) } };
  }
}

/**
 * A real firmware passes on the platform's Retry-After (delta-seconds only) with a 429 or 503, so the
 * host can wait that long before testing again (docs/serial-protocol.md §5.3).
 */
function retryAfterSeconds(response: Response): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  const value = response.headers.get('retry-after')?.trim() ?? '';
  if (!/^\d{1,5}$/.test(value)) return undefined;
  return Math.min(Number(value), 86_400);
}

function stepError(error: unknown): NonNullable<TestStep['error']> {
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT';
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  const code = cause?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'DNS';
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'ENETDOWN') return 'NO_NETWORK';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'TLS';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') return 'TIMEOUT';
  return 'CONNECT';
}
