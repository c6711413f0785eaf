/**
 * Real parts for the sign-in tests: the platform simulator (oidc-provider) over real HTTP,
 * Debian's Chromium driven by Playwright as the technician's browser, keytar on the session's
 * gnome-keyring (through scripts/with-session.sh), and a scan for tokens in every file Keyline
 * wrote and every log line it printed.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  AuthService,
  KeytarSecretStore,
  MemorySecretStore,
  type AuthServiceOptions,
  type SecretStore,
} from '../../../main/auth';
import { createLogger, type Logger } from '../../../main/host/logger';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { chromiumPath } from '../../../playwright.config';
import type { DeviceCodePrompt, SessionState } from '../../../common/contract';
import { startPlatformSimulator, type RunningPlatformSimulator, type SeedUser } from '../../../simulators/platform';

export const inKeyringSession = Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']);

export function startSimulator(options: Parameters<typeof startPlatformSimulator>[0] = {}) {
  return startPlatformSimulator({ port: 0, host: '127.0.0.1', ...options });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
}

/** Everything a test file saw: tokens issued, codes in redirects, log lines, folders Keyline wrote. */
export class Evidence {
  readonly tokens = new Set<string>();
  readonly logLines: string[] = [];
  readonly dataDirs: string[] = [];

  record(...values: Array<unknown>): void {
    for (const value of values) if (typeof value === 'string' && value.length >= 8) this.tokens.add(value);
  }

  /** Records every token the token endpoint hands out, whatever happens to it later. */
  recordingFetch(): typeof fetch {
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.includes('/oauth/') && response.headers.get('content-type')?.includes('json')) {
        const body = (await response
          .clone()
          .json()
          .catch(() => ({}))) as Record<string, unknown>;
        this.record(body['access_token'], body['refresh_token'], body['device_code']);
      }
      return response;
    }) as typeof fetch;
  }

  logger(redactor: SecretRedactor): Logger {
    const lines = this.logLines;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    return createLogger({ level: 'debug', destination, redactor });
  }

  /** Every token seen, looked for in every file under the data folders and in every log line. */
  async leaks(): Promise<string[]> {
    const texts: string[] = [...this.logLines];
    for (const dir of this.dataDirs) {
      const names = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
      for (const name of names) texts.push(await readFile(path.join(dir, String(name)), 'utf8').catch(() => ''));
    }
    const found: string[] = [];
    for (const token of this.tokens) {
      if (texts.some((text) => text.includes(token))) found.push(`${token.slice(0, 6)}…`);
    }
    return found;
  }
}

/** A secret store that remembers what it was given, so a test can prove where tokens went. */
export class RecordingStore implements SecretStore {
  readonly kind: 'keychain' | 'memory';
  /** Accounts written, in order. */
  readonly writes: string[] = [];
  constructor(
    readonly inner: SecretStore,
    private readonly evidence: Evidence,
  ) {
    this.kind = inner.kind;
  }
  get(account: string) {
    return this.inner.get(account);
  }
  async set(account: string, secret: string) {
    this.evidence.record(secret);
    this.writes.push(account);
    await this.inner.set(account, secret);
  }
  delete(account: string) {
    return this.inner.delete(account);
  }
}

/** The real keychain in a keyring session (one service per test file, removed after); memory otherwise. */
export function keychainFor(service = `Keyline-test-${randomBytes(4).toString('hex')}`): SecretStore {
  return inKeyringSession ? new KeytarSecretStore({ service }) : new MemorySecretStore();
}

export interface Harness {
  service: AuthService;
  states: SessionState[];
  prompts: DeviceCodePrompt[];
  dataDir: string;
  store: RecordingStore;
  logger: Logger;
  close(): Promise<void>;
}

export async function createHarness(
  sim: RunningPlatformSimulator,
  evidence: Evidence,
  options: Partial<AuthServiceOptions> & { store?: SecretStore; dataDir?: string } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'keyline-auth-it-')));
  evidence.dataDirs.push(dataDir);
  const redactor = new SecretRedactor();
  const logger = evidence.logger(redactor);
  const store = new RecordingStore(options.store ?? keychainFor(), evidence);
  const states: SessionState[] = [];
  const prompts: DeviceCodePrompt[] = [];
  const service = new AuthService({
    dataDir,
    redactor,
    openExternal: () => Promise.reject(new Error('no browser in this test')),
    emit: {
      sessionChanged: (state) => {
        states.push(state);
        logger.info({ state }, 'session changed');
      },
      deviceCode: (prompt) => {
        prompts.push(prompt);
        logger.info({ prompt }, 'device code');
      },
    },
    secretStore: store,
    fetch: evidence.recordingFetch(),
    sandbox: { apiUrl: sim.url, clientId: sim.seed.oauthClientId },
    browserTimeoutMs: 60_000,
    onError: (error, context) => logger.warn({ err: error }, context),
    ...options,
  });
  await service.start();
  return {
    service,
    states,
    prompts,
    dataDir,
    store,
    logger,
    async close() {
      await service.close();
    },
  };
}

/** The keychain account of a signed-in state (`<profileId>:<userId>`). */
export function keychainAccountFor(profileId: string, state: SessionState): string {
  if (state.status !== 'signedIn') throw new Error(`expected a signed-in state, got ${state.status}`);
  return `${profileId}:${state.account.userId}`;
}

export async function removeDirs(evidence: Evidence): Promise<void> {
  await Promise.all(evidence.dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/**
 * Registers the hooks of a sign-in test file: the platform simulator and Chromium, started once
 * before its tests and handed to `started`; after them, no token the file saw may be in any file
 * or log line Keyline wrote (the Evidence returned), then both are closed and the data folders removed.
 */
export function useSimulatorAndBrowser(
  started: (parts: { sim: RunningPlatformSimulator; browser: Browser }) => void,
): Evidence {
  const evidence = new Evidence();
  let sim: RunningPlatformSimulator | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [sim, browser] = await Promise.all([startSimulator(), launchBrowser()]);
    started({ sim, browser });
  });
  afterAll(async () => {
    try {
      expect(await evidence.leaks()).toEqual([]);
    } finally {
      await Promise.all([sim?.close(), browser?.close()]);
      await removeDirs(evidence);
    }
  });
  return evidence;
}

export interface ConsentChoice {
  maxRole?: 'admin' | 'edit' | 'collaborate' | 'view' | 'none';
  decision?: 'Allow' | 'Deny';
}

/** What the technician does on the simulator's pages: log in, read the consent page, choose. */
export async function logInAndConsent(page: Page, user: SeedUser, choice: ConsentChoice = {}): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Maximum role').selectOption(choice.maxRole ?? 'collaborate');
  await page.getByRole('button', { name: choice.decision ?? 'Allow' }).click();
}

/**
 * `openExternal` for tests: a fresh browser context (no cookies) navigates to the URL and runs
 * `act` there in the background, the way a technician's browser would while Keyline waits.
 */
export function browserOpener(
  browser: Browser,
  evidence: Evidence,
  act: (page: Page) => Promise<void>,
  rewrite: (url: URL) => URL = (url) => url,
): { openExternal: (url: string) => Promise<void>; opened: string[]; done: () => Promise<void>; pages: Page[] } {
  const opened: string[] = [];
  const pages: Page[] = [];
  const running: Promise<void>[] = [];
  return {
    opened,
    pages,
    async openExternal(url: string) {
      opened.push(url);
      const context = await browser.newContext();
      const page = await context.newPage();
      pages.push(page);
      page.on('request', (request) => {
        const target = new URL(request.url());
        if (target.hostname === '127.0.0.1') evidence.record(target.searchParams.get('code'));
      });
      running.push(
        page
          .goto(rewrite(new URL(url)).href)
          .then(() => act(page))
          .catch(() => undefined),
      );
    },
    async done() {
      await Promise.all(running);
      await Promise.all(
        pages.map((page) =>
          page
            .context()
            .close()
            .catch(() => undefined),
        ),
      );
    },
  };
}

const repoRoot = path.resolve(__dirname, '../../..');

/**
 * Runs `keyline …` from the sources (KEYLINE_TOKEN cleared unless given); its output goes to the
 * evidence, so a token in it fails the file. Never throws: the exit code says how it ended.
 */
export async function runKeyline(
  evidence: Evidence,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'main/cli/cli-entry.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, KEYLINE_TOKEN: '', ...env },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === 'number' ? error.code : -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
  evidence.logLines.push(result.stdout, result.stderr);
  return result;
}
