import { KeylineError } from '../../common/errors';
import { fail, ok, type Result } from '../../common/result';
import { isMethodName, methods, type MethodName, type MethodResult } from '../../common/contract';
import type { z } from 'zod';
import type { Logger } from './logger';

/** What a handler knows about who called it. */
export interface CallContext {
  host: 'electron' | 'web';
  signal?: AbortSignal;
}

export type Handler<M extends MethodName> = (
  args: z.output<(typeof methods)[M]['args']>,
  context: CallContext,
) => Promise<MethodResult<M>> | MethodResult<M>;

export type Handlers = { [M in MethodName]: Handler<M> };

export type Dispatch = (method: unknown, args: unknown, context: CallContext) => Promise<Result<unknown>>;

/** A key or method name as the caller sent it: shown only when it looks like a name, since it is input too. */
const NAME = /^[A-Za-z_$][\w$.-]{0,63}$/;
function nameOf(key: PropertyKey): string {
  if (typeof key === 'number') return String(key);
  const text = String(key);
  return NAME.test(text) ? text : '(a key that is not a field name)';
}

/** zod's issues, made short and free of input values (an argument may carry a secret, even in a key). */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.map(nameOf).join('.') || '(argument)';
      if (issue.code === 'unrecognized_keys') {
        return `${where}: unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.slice(0, 5).map(nameOf).join(', ')}`;
      }
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * The one place where a contract call meets main: the method must exist, its argument must pass
 * the schema, and whatever the handler throws becomes a typed error. Used by both the IPC binding
 * and the web host, so the two hosts cannot drift apart.
 */
export function createDispatcher(handlers: Handlers, logger?: Logger): Dispatch {
  return async (method, args, context) => {
    if (!isMethodName(method)) {
      return fail(
        'CONTRACT_UNKNOWN_METHOD',
        `No such method: ${typeof method === 'string' ? nameOf(method.slice(0, 80)) : typeof method}`,
      );
    }
    const definition = methods[method];
    const parsed = definition.args.safeParse(args ?? {});
    if (!parsed.success) {
      return fail('CONTRACT_INVALID_ARGUMENT', `Invalid argument for ${method}: ${describeIssues(parsed.error)}`);
    }
    try {
      const handler = handlers[method] as Handler<typeof method>;
      const value = await handler(parsed.data as never, context);
      const checked = definition.result.safeParse(value);
      if (!checked.success) {
        logger?.error({ method, issues: describeIssues(checked.error) }, 'handler result broke the contract');
        return fail('CONTRACT_INVALID_RESULT', `${method} produced a result outside the contract`);
      }
      return ok(checked.data);
    } catch (error) {
      if (error instanceof KeylineError) return fail(error.code, error.message);
      logger?.error({ method, err: error }, 'handler failed');
      return fail('INTERNAL', `${method} failed unexpectedly; see the station log`);
    }
  };
}
