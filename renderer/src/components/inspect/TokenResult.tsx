import type { DecodedToken } from '../../../../common/contract';
import { JsonBlock } from './JsonBlock';
import { ScopeLists } from './ScopeLists';
import { TokenFacts } from './TokenFacts';
import { TokenWarnings } from './TokenWarnings';

/** One decoded token: kind and owner, warnings, scopes in plain words, then the raw header and claims. */
export function TokenResult({ token }: { token: DecodedToken }) {
  return (
    <section className="token-result" aria-labelledby="token-result-title" data-testid="token-result">
      <h3 id="token-result-title" data-testid="token-kind">
        {token.kindLabel}
      </h3>
      <p className="token-subject" data-testid="token-subject">
        {token.subject.summary}
      </p>
      <TokenFacts token={token} />
      <TokenWarnings warnings={token.warnings} />
      {token.scopes && <ScopeLists scopes={token.scopes} />}
      <div className="token-json">
        {token.header && <JsonBlock title="Header" value={token.header} />}
        {token.claims && <JsonBlock title="Claims" value={token.claims} />}
      </div>
    </section>
  );
}
