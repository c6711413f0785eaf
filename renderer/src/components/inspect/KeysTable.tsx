import type { AccessKeyView, InspectAction } from '../../../../common/contract';
import { ActionButtons } from './ActionButtons';
import { StatusBadge, When } from './StatusBadge';

/** An application's access keys: key, description, device restriction, status, created by and when. */
export function KeysTable({
  keys,
  canManage,
  onAction,
}: {
  keys: AccessKeyView[];
  canManage: boolean;
  onAction: (key: AccessKeyView, action: InspectAction) => void;
}) {
  if (keys.length === 0) return <p>No access keys.</p>;
  return (
    <div className="table-scroll">
      <table className="inspect-table" data-testid="keys-table">
        <caption>Access keys</caption>
        <thead>
          <tr>
            <th scope="col">Name and key</th>
            <th scope="col">Devices it lets in</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            {canManage && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <th scope="row">
                {key.name ?? 'Unnamed key'}
                <div className="mono">{key.key}</div>
                {key.description && <div className="hint">{key.description}</div>}
              </th>
              <td>{key.restriction.words}</td>
              <td>
                <StatusBadge status={key.status} />
              </td>
              <td>
                <When time={key.createdAt} />
                {key.createdBy && <div className="hint">by {key.createdBy}</div>}
              </td>
              {canManage && (
                <td>
                  <ActionButtons
                    allowed={canManage}
                    status={key.status}
                    what={`key ${key.name ?? key.key}`}
                    onAction={(action) => onAction(key, action)}
                  />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
