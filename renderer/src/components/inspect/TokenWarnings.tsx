import type { TokenWarning } from '../../../../common/contract';

const SEVERITY_LABEL: Record<TokenWarning['severity'], string> = {
  danger: 'Problem',
  warning: 'Warning',
  info: 'Note',
};

/** Warnings first, worst first (main sorts them); the severity is a word, not only a colour. */
export function TokenWarnings({ warnings }: { warnings: TokenWarning[] }) {
  return (
    <ul className="token-warnings" aria-label="Warnings" data-testid="token-warnings">
      {warnings.map((warning, index) => (
        <li key={`${warning.code}-${index}`} className={`token-warning token-warning-${warning.severity}`}>
          <strong>{SEVERITY_LABEL[warning.severity]}:</strong> {warning.message}
        </li>
      ))}
    </ul>
  );
}
