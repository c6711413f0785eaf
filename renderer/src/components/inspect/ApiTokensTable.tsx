import type { ApiTokenView, InspectAction } from '../../../../common/contract';
import { ActionButtons } from './ActionButtons';
import { StatusBadge, When } from './StatusBadge';

/** An application's API tokens: name, scope in plain words, creator, expiration, status. Never a token. */
export function ApiTokensTable({
  tokens,
  canManage,
  onAction,
}: {
  tokens: ApiTokenView[];
  canManage: boolean;
  onAction: (token: ApiTokenView, action: InspectAction) => void;
}) {
  if (tokens.length === 0) return <p>No application API tokens.</p>;
  return (
    <div className="table-scroll">
      <table className="inspect-table" data-testid="api-tokens-table">
        <caption>Application API tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">What it may do</th>
            <th scope="col">Created by</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
            {canManage && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <th scope="row">
                {token.name}
                {token.description && <div className="hint">{token.description}</div>}
              </th>
              <td>
                {token.scopeSummary}
                <div className="hint mono">{token.scopes.join(' ')}</div>
              </td>
              <td>
                {token.creator}
                <div className="hint">
                  <When time={token.createdAt} />
                </div>
              </td>
              <td>{token.expiry}</td>
              <td>
                <StatusBadge status={token.expired ? 'expired' : token.status} />
              </td>
              {canManage && (
                <td>
                  <ActionButtons
                    allowed={canManage}
                    status={token.status}
                    what={`API token ${token.name}`}
                    onAction={(action) => onAction(token, action)}
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
