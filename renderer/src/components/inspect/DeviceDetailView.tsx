import type { DeviceDetail } from '../../../../common/contract';
import { ConnectionLogTable } from './ConnectionLogTable';
import { StatusBadge, When } from './StatusBadge';

/** One device: its class in plain words, tags, connection log, last state and the keys that let it in. */
export function DeviceDetailView({ detail, onDiagnose }: { detail: DeviceDetail; onDiagnose: () => void }) {
  const { device } = detail;
  return (
    <section className="inspect-detail" aria-labelledby="device-detail-title" data-testid="device-detail">
      <h3 id="device-detail-title">{device.name}</h3>
      <dl className="facts">
        <dt>Device id</dt>
        <dd>{device.id}</dd>
        <dt>Class</dt>
        <dd className="prose">{detail.classWords}</dd>
        <dt>Tags</dt>
        <dd>{device.tags.map((tag) => `${tag.key}=${tag.value}`).join(', ') || '—'}</dd>
        {detail.description && (
          <>
            <dt>Description</dt>
            <dd className="prose">{detail.description}</dd>
          </>
        )}
      </dl>
      <div className="token-actions">
        <button type="button" className="button" onClick={onDiagnose}>
          Why can't it connect?
        </button>
      </div>
      <ConnectionLogTable entries={detail.connectionLog} />
      {detail.lastState && (
        <div className="table-scroll">
          <table className="inspect-table">
            <caption>Last state</caption>
            <thead>
              <tr>
                <th scope="col">Attribute</th>
                <th scope="col">Value</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {detail.lastState.length === 0 && (
                <tr>
                  <td colSpan={3}>No state reported yet.</td>
                </tr>
              )}
              {detail.lastState.map((entry) => (
                <tr key={entry.attribute}>
                  <th scope="row">{entry.attribute}</th>
                  <td className="mono">{entry.value}</td>
                  <td>
                    <When time={entry.time} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {detail.keys && (
        <>
          <h4>Access keys that let it in</h4>
          {detail.keys.length === 0 ? (
            <p>None: no key of the application lets this device in.</p>
          ) : (
            <ul>
              {detail.keys.map((key) => (
                <li key={key.id}>
                  {key.name ?? key.key} <StatusBadge status={key.status} /> — {key.restriction.words}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {detail.notes.map((note) => (
        <p key={note} className="hint">
          {note}
        </p>
      ))}
    </section>
  );
}
