import type { CauseCheck, Diagnosis } from '../../../../common/contract';
import { ConnectionLogTable } from './ConnectionLogTable';

const STATUS_WORD: Record<CauseCheck['status'], string> = {
  holds: 'Cause',
  unknown: 'Could not tell',
  clear: 'Not the cause',
};

/** The diagnosis: causes that hold first, each with what was found and the fix in plain words. */
export function DiagnosisView({ diagnosis }: { diagnosis: Diagnosis }) {
  return (
    <section className="inspect-detail" aria-labelledby="diagnosis-title" data-testid="diagnosis">
      <h3 id="diagnosis-title">Diagnosis</h3>
      <p
        className={diagnosis.verdict === 'causesFound' ? 'inspect-verdict inspect-verdict-causes' : 'inspect-verdict'}
        data-testid="diagnosis-summary"
      >
        {diagnosis.summary}
      </p>
      <ul className="inspect-checks">
        {diagnosis.checks.map((item) => (
          <li key={item.cause} className={`inspect-check inspect-check-${item.status}`} data-cause={item.cause}>
            <strong>
              {STATUS_WORD[item.status]}: {item.title}
            </strong>
            <p>{item.finding}</p>
            {item.evidence.length > 0 && (
              <ul>
                {item.evidence.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
            {item.status === 'holds' && <p className="inspect-fix">Fix: {item.fix}</p>}
          </li>
        ))}
      </ul>
      {diagnosis.deviceTest && (
        <p>
          The device's own test: {diagnosis.deviceTest.passed ? 'passed' : 'failed'} (
          {diagnosis.deviceTest.steps
            .map((step) => `${step.step} ${step.status}${step.error ? ` ${step.error}` : ''}`)
            .join(', ')}
          ).
        </p>
      )}
      {diagnosis.connectionLog.length > 0 && <ConnectionLogTable entries={diagnosis.connectionLog} />}
      {diagnosis.notes.map((note) => (
        <p key={note} className="hint">
          {note}
        </p>
      ))}
    </section>
  );
}
