import type { DeviceSummary } from '../../../../common/contract';
import { When } from './StatusBadge';

/** An application's devices: class (and whether it may connect), tags, last activity. */
export function DevicesTable({
  devices,
  onOpen,
}: {
  devices: DeviceSummary[];
  onOpen: (device: DeviceSummary) => void;
}) {
  if (devices.length === 0) return <p>No devices match.</p>;
  return (
    <div className="table-scroll">
      <table className="inspect-table" data-testid="devices-table">
        <caption>Devices</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Class</th>
            <th scope="col">Tags</th>
            <th scope="col">Last activity</th>
            <th scope="col">
              <span className="visually-hidden">Open</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {devices.map((device) => (
            <tr key={device.id}>
              <th scope="row">
                {device.name}
                <div className="hint mono">{device.id}</div>
              </th>
              <td>
                {device.deviceClass}
                {!device.canConnect && <div className="inspect-warning-text">May not connect on its own</div>}
              </td>
              <td>{device.tags.map((tag) => `${tag.key}=${tag.value}`).join(', ') || '—'}</td>
              <td>
                <When time={device.lastActivity} />
              </td>
              <td>
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Details of ${device.name}`}
                  onClick={() => onOpen(device)}
                >
                  Details
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
