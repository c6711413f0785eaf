import { describe, expect, it } from 'vitest';
import { KeylineError } from '../../common/errors';
import { createDispatcher, type Handlers } from './dispatcher';

const info = {
  name: 'Keyline',
  version: '1.0.0',
  platform: 'linux',
  arch: 'x64',
  host: 'web',
  sandbox: false,
} as const;

function dispatcherWith(handler: Handlers['app.info']) {
  return createDispatcher({ 'app.info': handler } as Handlers);
}

describe('contract dispatcher', () => {
  it('answers a valid call with the handler result', async () => {
    const dispatch = dispatcherWith(() => info);
    await expect(dispatch('app.info', {}, { host: 'web' })).resolves.toEqual({ ok: true, value: info });
  });

  it('refuses an unknown method with a typed error', async () => {
    const dispatch = dispatcherWith(() => info);
    const result = await dispatch('app.shutdown', {}, { host: 'web' });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONTRACT_UNKNOWN_METHOD' } });
  });

  it.each([[{ extra: 1 }], [42], ['text'], [[1, 2]], [null]])(
    'refuses argument %j without calling the handler',
    async (args) => {
      let called = false;
      const dispatch = dispatcherWith(() => {
        called = true;
        return info;
      });
      const result = await dispatch('app.info', args, { host: 'web' });
      if (args === null) {
        // null is treated as "no argument", which the empty schema accepts.
        expect(result.ok).toBe(true);
        return;
      }
      expect(result).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_ARGUMENT' } });
      expect(called).toBe(false);
    },
  );

  it('passes a KeylineError through as its code and message', async () => {
    const dispatch = dispatcherWith(() => {
      throw new KeylineError('SERIAL_TIMEOUT', 'The device on /dev/ttyUSB0 did not answer within 2 s');
    });
    await expect(dispatch('app.info', {}, { host: 'web' })).resolves.toEqual({
      ok: false,
      error: { code: 'SERIAL_TIMEOUT', message: 'The device on /dev/ttyUSB0 did not answer within 2 s' },
    });
  });

  it('hides the text of unexpected errors, which may carry anything', async () => {
    const dispatch = dispatcherWith(() => {
      throw new Error('secret=abc123456789');
    });
    const result = await dispatch('app.info', {}, { host: 'web' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('abc123456789');
  });

  it('refuses a handler result outside the contract', async () => {
    const dispatch = dispatcherWith(() => ({ ...info, token: 'leak' }) as never);
    const result = await dispatch('app.info', {}, { host: 'web' });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_RESULT' } });
    expect(JSON.stringify(result)).not.toContain('leak');
  });
});
