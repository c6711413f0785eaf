import { useCallback, useRef, useState } from 'react';
import { INSPECT_TOKEN_MAX_LENGTH, type DecodedToken, type KeylineApi } from '../../../../common/contract';
import type { ErrorInfo } from '../../../../common/errors';

export type DecodeState =
  | { state: 'idle' }
  | { state: 'decoding' }
  | { state: 'decoded'; token: DecodedToken }
  | { state: 'failed'; error: ErrorInfo };

/**
 * Sends a pasted token to main for decoding and keeps only the answer: the token itself is not
 * kept in any state here. A newer request wins over an older one still in flight.
 */
export function useTokenDecoder(keyline: KeylineApi): {
  result: DecodeState;
  decode: (text: string) => void;
  reset: () => void;
} {
  const [result, setResult] = useState<DecodeState>({ state: 'idle' });
  const latest = useRef(0);
  const decode = useCallback(
    (text: string) => {
      const request = ++latest.current;
      // Main refuses this too; saying it here spares sending a page of text over the contract.
      if (text.trim().length > INSPECT_TOKEN_MAX_LENGTH) {
        setResult({
          state: 'failed',
          error: {
            code: 'INSPECT_TOKEN_TOO_LARGE',
            message: `This is longer than any platform token (over ${INSPECT_TOKEN_MAX_LENGTH / 1024} KiB). Paste only the token.`,
          },
        });
        return;
      }
      setResult({ state: 'decoding' });
      void keyline.invoke('inspect.decodeToken', { token: text.trim() }).then((answer) => {
        if (request !== latest.current) return;
        setResult(answer.ok ? { state: 'decoded', token: answer.value } : { state: 'failed', error: answer.error });
      });
    },
    [keyline],
  );
  const reset = useCallback(() => {
    latest.current += 1;
    setResult({ state: 'idle' });
  }, []);
  return { result, decode, reset };
}
