import { describe, expect, it } from 'vitest';
import { ipcChannel, ipcEventChannel, methodNames } from '../../common/contract';
import { createDispatcher, type Handlers } from '../host/dispatcher';
import { EventHub } from '../host/event-hub';
import { bindContract, forwardEvents } from './ipc-binding';

type IpcHandler = (event: unknown, args: unknown) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, IpcHandler>();
  return {
    handlers,
    ipc: {
      handle: (channel: string, handler: IpcHandler) => void handlers.set(channel, handler),
      removeHandler: (channel: string) => void handlers.delete(channel),
    },
  };
}

function senderEvent(url: string, options: { subframe?: boolean } = {}) {
  const mainFrame = { url };
  const senderFrame = options.subframe ? { url } : mainFrame;
  return { sender: { mainFrame }, senderFrame };
}

const dispatch = createDispatcher({
  'app.info': () => ({
    name: 'Keyline',
    version: '1',
    platform: 'linux',
    arch: 'x64',
    host: 'electron',
    sandbox: false,
  }),
} as unknown as Handlers);

describe('IPC binding', () => {
  it('registers exactly one handler per contract method and removes them all', () => {
    const fake = fakeIpcMain();
    const unbind = bindContract(fake.ipc as never, dispatch);
    expect([...fake.handlers.keys()].sort()).toEqual(methodNames.map(ipcChannel).sort());
    unbind();
    expect(fake.handlers.size).toBe(0);
  });

  it('answers the app window through the dispatcher', async () => {
    const fake = fakeIpcMain();
    bindContract(fake.ipc as never, dispatch);
    const result = await fake.handlers.get(ipcChannel('app.info'))!(senderEvent('app://keyline/index.html'), {});
    expect(result).toMatchObject({ ok: true, value: { host: 'electron' } });
  });

  it.each([
    ['a foreign page', senderEvent('https://attacker.example/')],
    ['a subframe of the app', senderEvent('app://keyline/index.html', { subframe: true })],
    ['a frame that is gone', { sender: { mainFrame: {} }, senderFrame: null }],
  ])('refuses calls from %s', async (_label, event) => {
    const fake = fakeIpcMain();
    bindContract(fake.ipc as never, dispatch);
    const result = await fake.handlers.get(ipcChannel('app.info'))!(event, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'CONTRACT_UNTRUSTED_SENDER' } });
  });

  it('validates arguments from the window like any other host', async () => {
    const fake = fakeIpcMain();
    bindContract(fake.ipc as never, dispatch);
    const result = await fake.handlers.get(ipcChannel('app.info'))!(senderEvent('app://keyline/index.html'), { x: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_ARGUMENT' } });
  });

  it('forwards contract events to a live window only', () => {
    const hub = new EventHub();
    const sent: unknown[] = [];
    let destroyed = false;
    const stop = forwardEvents(hub, {
      send: (channel: string, message: unknown) => sent.push([channel, message]),
      isDestroyed: () => destroyed,
    } as never);
    hub.emit('app.notice', { level: 'info', message: 'hello', time: '2026-01-01T00:00:00Z' });
    destroyed = true;
    hub.emit('app.notice', { level: 'info', message: 'ignored', time: '2026-01-01T00:00:00Z' });
    stop();
    expect(sent).toEqual([
      [
        ipcEventChannel,
        { event: 'app.notice', payload: { level: 'info', message: 'hello', time: '2026-01-01T00:00:00Z' } },
      ],
    ]);
  });

  it('refuses to emit an event payload outside the contract', () => {
    const hub = new EventHub();
    expect(() => hub.emit('app.notice', { level: 'info', message: 'x', time: 't', token: 'leak' } as never)).toThrow();
  });
});
