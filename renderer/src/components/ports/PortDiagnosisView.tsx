import type { PortDiagnosis } from '../../../../common/contract';
import { CopyButton } from '../CopyButton';

/** A problem in words, and each fix with its command to paste (and copy). */
export function PortDiagnosisView({ diagnosis }: { diagnosis: PortDiagnosis }) {
  const tone =
    diagnosis.severity === 'error' ? 'notice-error' : diagnosis.severity === 'warning' ? 'notice-warn' : 'notice-info';
  return (
    <div className={`notice ${tone} diagnosis`} data-testid="diagnosis" data-code={diagnosis.code}>
      <p className="diagnosis-title">
        <strong>{diagnosis.title}</strong> <code className="small">{diagnosis.code}</code>
      </p>
      <p>{diagnosis.message}</p>
      {diagnosis.fixes.length > 0 && (
        <ol className="fixes">
          {diagnosis.fixes.map((fix) => (
            <li key={fix.text + (fix.command ?? '')}>
              {fix.text}
              {fix.command && (
                <div className="fix-command">
                  <code className="command">{fix.command}</code>
                  <CopyButton text={fix.command} label="command" />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
