import { useCallback, useRef, useState } from 'react';
import type { KeylineApi, MethodArgs, MethodName, MethodResult } from '../../../../common/contract';
import type { ErrorInfo } from '../../../../common/errors';

export type CallState<T> =
  { state: 'idle' } | { state: 'loading' } | { state: 'done'; value: T } | { state: 'failed'; error: ErrorInfo };

/**
 * One contract method called on demand, with its state for the screen. A newer call wins over an
 * older one still in flight, so a slow answer never overwrites a fresh one.
 */
export function useCall<M extends MethodName>(
  keyline: KeylineApi,
  method: M,
): {
  result: CallState<MethodResult<M>>;
  run: (args: MethodArgs<M>) => Promise<MethodResult<M> | undefined>;
  reset: () => void;
} {
  const [result, setResult] = useState<CallState<MethodResult<M>>>({ state: 'idle' });
  const latest = useRef(0);
  const run = useCallback(
    async (args: MethodArgs<M>) => {
      const call = ++latest.current;
      setResult({ state: 'loading' });
      const answer = await keyline.invoke(method, args);
      if (call !== latest.current) return undefined;
      setResult(answer.ok ? { state: 'done', value: answer.value } : { state: 'failed', error: answer.error });
      return answer.ok ? answer.value : undefined;
    },
    [keyline, method],
  );
  const reset = useCallback(() => {
    latest.current += 1;
    setResult({ state: 'idle' });
  }, []);
  return { result, run, reset };
}
