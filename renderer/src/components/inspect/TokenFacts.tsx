import type { DecodedToken } from '../../../../common/contract';

/** Whom the token belongs to and its times. Every value comes from the token: rendered as text. */
export function TokenFacts({ token }: { token: DecodedToken }) {
  const { subject, times } = token;
  return (
    <dl className="facts token-facts">
      {subject.facts.map((fact) => (
        <div key={fact.label} className="token-fact">
          <dt>{fact.label}</dt>
          <dd>{fact.value}</dd>
        </div>
      ))}
      {times.issued && (
        <div className="token-fact">
          <dt>Issued</dt>
          <dd>{times.issued}</dd>
        </div>
      )}
      <div className="token-fact">
        <dt>Expires</dt>
        <dd data-testid="token-expiry">{times.expiry}</dd>
      </div>
    </dl>
  );
}
