import type { ConnectionLogEntry } from '../../../../common/contract';
import { When } from './StatusBadge';

/** The device's connection attempts, newest first, refusals with the platform's reason. */
export function ConnectionLogTable({ entries }: { entries: ConnectionLogEntry[] }) {
  if (entries.length === 0) return <p>No connection attempts on record.</p>;
  return (
    <div className="table-scroll">
      <table className="inspect-table" data-testid="connection-log">
        <caption>Connection log (newest first)</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Result</th>
            <th scope="col">Reason</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, index) => (
            <tr key={`${entry.time}-${index}`}>
              <td>
                <When time={entry.time} />
              </td>
              <td>{entry.connected ? 'Connected' : 'Refused'}</td>
              <td>{entry.reason ?? '—'}</td>
              <td>{[entry.method, entry.ipAddress].filter(Boolean).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
