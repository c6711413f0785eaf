import type { KeylineApi } from '../../../../common/contract';
import { TokenInput } from './TokenInput';
import { TokenResult } from './TokenResult';
import { useTokenDecoder, type DecodeState } from './useTokenDecoder';
import './inspect.css';

function statusText(result: DecodeState): string {
  switch (result.state) {
    case 'idle':
      return '';
    case 'decoding':
      return 'Decoding…';
    case 'decoded': {
      const problems = result.token.warnings.filter((warning) => warning.severity !== 'info').length;
      return `Decoded: ${result.token.kindLabel}, ${problems === 0 ? 'no warnings' : `${problems} warning${problems === 1 ? '' : 's'}`}.`;
    }
    case 'failed':
      return '';
  }
}

/**
 * "What is this token?": paste, decode in main, read the answer. The status line is announced
 * (aria-live) so a screen-reader user hears the outcome without hunting for it.
 */
export function TokenDecoderPanel({ keyline }: { keyline: KeylineApi }) {
  const { result, decode } = useTokenDecoder(keyline);
  return (
    <section className="panel token-decoder" aria-labelledby="token-decoder-title">
      <h2 id="token-decoder-title">Token decoder</h2>
      <p className="lead">
        What kind of token is it, whose is it, what can it do, and does it expire? Keyline reads it without trusting it:
        the signature is not verified.
      </p>
      <TokenInput busy={result.state === 'decoding'} onDecode={decode} />
      <p className="token-status" role="status" aria-live="polite" data-testid="token-status">
        {statusText(result)}
      </p>
      {result.state === 'failed' && (
        <p className="token-error" role="alert" data-testid="token-error">
          {result.error.message}
        </p>
      )}
      {result.state === 'decoded' && <TokenResult token={result.token} />}
    </section>
  );
}
