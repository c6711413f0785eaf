/**
 * The sign-in's loopback listener, probed with real sockets while a real browser sign-in runs
 * against the platform simulator: it accepts connections on 127.0.0.1 only (never on the other
 * loopback addresses, IPv6 or the machine's network interfaces) and stops listening once one
 * callback arrived, whether that callback was the browser's or a forged one.
 */
import net from 'node:net';
import os from 'node:os';
import type { Browser } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../main/auth';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import { browserOpener, createHarness, logInAndConsent, useSimulatorAndBrowser } from '../auth/harness';

let sim: RunningPlatformSimulator;
let browser: Browser;
const evidence = useSimulatorAndBrowser((started) => ({ sim, browser } = started));

/** Whether a TCP connection to host:port is accepted; the error code when it is not. */
function connect(host: string, port: number): Promise<'accepted' | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** Every address of this machine other than 127.0.0.1: other loopbacks, IPv6, the network cards. */
function otherAddresses(): string[] {
  const addresses = new Set(['127.0.0.2', '127.1.2.3', '::1']);
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const entry of entries ?? []) {
      // Link-local IPv6 needs a zone to be reachable at all; it proves nothing either way.
      if (entry.address === '127.0.0.1' || entry.address.startsWith('fe80:')) continue;
      addresses.add(entry.address);
    }
  }
  return [...addresses];
}

async function until<T>(what: string, read: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function redirectPort(authorizationUrl: string): number {
  const redirect = new URL(new URL(authorizationUrl).searchParams.get('redirect_uri')!);
  expect(redirect.hostname).toBe('127.0.0.1');
  return Number(redirect.port);
}

describe('OAuth loopback listener (real sockets, real sign-in)', () => {
  it('binds 127.0.0.1 only, and closes after a forged callback that it refuses', async () => {
    const opened: string[] = [];
    const harness = await createHarness(sim, evidence, {
      store: new MemorySecretStore(),
      openExternal: (url) => void opened.push(url),
    });
    try {
      const signIn = harness.service.signIn('sandbox', 'browser');
      signIn.catch(() => undefined);
      const port = redirectPort(await until('the browser to be opened', () => opened[0]));

      expect(await connect('127.0.0.1', port)).toBe('accepted');
      const others = otherAddresses();
      expect(others.length).toBeGreaterThanOrEqual(3);
      for (const address of others) expect(await connect(address, port), address).not.toBe('accepted');

      // Another program on this machine races the browser with a callback of its own.
      const forged = await fetch(`http://127.0.0.1:${port}/callback?code=forged-code-0000&state=guessed-state`);
      expect(forged.status).toBe(400);
      expect(await forged.text()).not.toContain('forged-code-0000');
      await expect(signIn).rejects.toMatchObject({ code: 'AUTH_STATE_MISMATCH' });
      expect(harness.service.state()).toMatchObject({ status: 'signedOut' });

      // One callback, then nothing listens: the real browser's answer could not be hijacked either.
      expect(await connect('127.0.0.1', port)).toBe('ECONNREFUSED');
    } finally {
      await harness.close();
    }
  });

  it('closes after the browser callback of a completed sign-in, so a replay finds nobody', async () => {
    let callbackUrl: string | undefined;
    const browserSide = browserOpener(browser, evidence, async (page) => {
      page.on('request', (request) => {
        if (request.url().includes('/callback?')) callbackUrl = request.url();
      });
      await logInAndConsent(page, sim.seed.technician);
      await page.getByRole('heading', { name: 'Signed in to Keyline' }).waitFor();
    });
    const harness = await createHarness(sim, evidence, {
      store: new MemorySecretStore(),
      openExternal: browserSide.openExternal,
    });
    try {
      const signIn = harness.service.signIn('sandbox', 'browser');
      const port = redirectPort(await until('the browser to be opened', () => browserSide.opened[0]));
      for (const address of otherAddresses()) expect(await connect(address, port), address).not.toBe('accepted');
      expect(await signIn).toMatchObject({ status: 'signedIn' });
      await browserSide.done();

      expect(callbackUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/callback\\?`));
      expect(await connect('127.0.0.1', port)).toBe('ECONNREFUSED');
      await expect(fetch(callbackUrl!)).rejects.toThrow();
    } finally {
      await harness.close();
    }
  });
});
