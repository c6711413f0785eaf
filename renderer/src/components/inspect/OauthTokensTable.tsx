import type { InspectAction, OauthTokenView } from '../../../../common/contract';
import { ActionButtons } from './ActionButtons';
import { StatusBadge, When } from './StatusBadge';

/** The signed-in user's OAuth tokens: client, role cap, created, status, pending; this station's own marked. */
export function OauthTokensTable({
  tokens,
  canManage,
  onAction,
}: {
  tokens: OauthTokenView[];
  canManage: boolean;
  onAction: (token: OauthTokenView, action: InspectAction) => void;
}) {
  if (tokens.length === 0) return <p>No OAuth tokens.</p>;
  return (
    <div className="table-scroll">
      <table className="inspect-table" data-testid="oauth-tokens-table">
        <caption>Your OAuth tokens</caption>
        <thead>
          <tr>
            <th scope="col">Application (client)</th>
            <th scope="col">Maximum role</th>
            <th scope="col">What it may do</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            {canManage && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <th scope="row">
                {token.clientName ?? token.clientId}
                {token.thisStation && <span className="badge badge-this-station">This station</span>}
                <div className="hint mono">{token.clientId}</div>
              </th>
              <td>{token.roleCap ?? '—'}</td>
              <td>{token.scopeSummary}</td>
              <td>
                <When time={token.createdAt} />
              </td>
              <td>
                <StatusBadge status={token.pending ? 'pending' : token.status} />
              </td>
              {canManage && (
                <td>
                  <ActionButtons
                    allowed={canManage}
                    status={token.status}
                    what={`OAuth token of ${token.clientName ?? token.clientId}`}
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
