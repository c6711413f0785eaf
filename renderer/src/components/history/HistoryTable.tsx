import { Fragment, useState } from 'react';
import type { HistoryRow } from '../../../../common/contract';
import { CopyButton } from '../CopyButton';
import { OutcomeBadge } from '../OutcomeBadge';
import { formatDateTime, formatDuration } from '../../lib/format';

/** One row per attempt; "Details" opens the steps and ids of that attempt below its row. */
export function HistoryTable({ rows }: { rows: HistoryRow[] }) {
  const [open, setOpen] = useState<number>();
  if (rows.length === 0) return <p className="empty">No attempts match.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="history-table">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Operator</th>
            <th scope="col">Hwid</th>
            <th scope="col">Outcome</th>
            <th scope="col">Error</th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <Fragment key={row.seq}>
              <tr data-testid="history-row" data-outcome={row.outcome}>
                <td>{formatDateTime(row.time)}</td>
                <td>{row.operator ?? '—'}</td>
                <td className="mono nowrap">{row.hwid ?? '—'}</td>
                <td>
                  <OutcomeBadge outcome={row.outcome} />
                  {row.action !== 'provision' && <span className="muted small"> {row.action}</span>}
                </td>
                <td className="error-cell">
                  {row.error ? (
                    <>
                      <code>{row.error.code}</code> {row.error.message}
                    </>
                  ) : (
                    ''
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-expanded={open === row.seq}
                    aria-controls={`history-detail-${row.seq}`}
                    onClick={() => setOpen(open === row.seq ? undefined : row.seq)}
                  >
                    Details<span className="visually-hidden"> of {row.runId}</span>
                  </button>
                </td>
              </tr>
              {open === row.seq && (
                <tr id={`history-detail-${row.seq}`} className="detail-row">
                  <td colSpan={6}>
                    <RowDetails row={row} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Fact({ label, value, copy }: { label: string; value: string | undefined; copy?: boolean }) {
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <span className="mono">{value}</span>
        {copy && <CopyButton text={value} label={label} />}
      </dd>
    </>
  );
}

function RowDetails({ row }: { row: HistoryRow }) {
  return (
    <div className="row-details">
      <dl className="facts">
        <Fact label="Run id" value={row.runId} copy />
        <Fact label="Action" value={row.action} />
        <Fact label="Work order" value={row.workOrder} />
        <Fact label="Station" value={row.station} />
        <Fact label="Port" value={row.port} />
        <Fact label="Model" value={row.model} />
        <Fact label="Device id" value={row.deviceId} copy />
        <Fact label="Access key id" value={row.accessKeyId} copy />
        <Fact label="Fingerprint (first bytes)" value={row.fingerprintPrefix} />
        <Fact label="Verification" value={row.verification} />
        <Fact label="Duration" value={row.durationMs === undefined ? undefined : formatDuration(row.durationMs)} />
        <Fact label="Journal record" value={`seq ${row.seq}, integrity ${row.integrity}`} />
      </dl>
      {row.steps.length > 0 && (
        <ol className="step-list">
          {row.steps.map((step) => (
            <li key={step.name} data-status={step.status}>
              <span className="step-name">{step.name}</span> <span className="step-status">{step.status}</span>{' '}
              <span className="muted">{formatDuration(step.ms)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
