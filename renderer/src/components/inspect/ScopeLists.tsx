import type { DecodedToken } from '../../../../common/contract';

type Scopes = NonNullable<DecodedToken['scopes']>;

/** The granted scopes, then what they allow and do not allow, in plain words. */
export function ScopeLists({ scopes }: { scopes: Scopes }) {
  return (
    <div className="token-scopes">
      <h4>Scopes</h4>
      <ul className="token-scope-list">
        {scopes.scopes.map((scope) => (
          <li key={scope.scope}>
            <code>{scope.scope}</code> {scope.summary}
          </li>
        ))}
      </ul>
      <div className="token-can-cannot">
        <div>
          <h4>Can</h4>
          {scopes.can.length === 0 ? (
            <p>Nothing Keyline knows of.</p>
          ) : (
            <ul data-testid="token-can">
              {scopes.can.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h4>Cannot</h4>
          <ul data-testid="token-cannot">
            {scopes.cannot.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
