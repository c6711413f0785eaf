import type { ActionTarget, InspectAction, InspectPermissions } from '../../common/contract/inspect';
import type { ApiToken, ApplicationKey, OAuthToken, PlatformClient } from '../platform';

/** The record an action is about, read fresh from the platform. */
export type LoadedTarget =
  | { kind: 'accessKey'; applicationId: string; record: ApplicationKey; label: string }
  | { kind: 'apiToken'; applicationId: string; record: ApiToken; label: string }
  | { kind: 'oauthToken'; record: OAuthToken; label: string };

const quote = (text: string) => `"${text.length > 80 ? `${text.slice(0, 79)}…` : text}"`;

export async function loadTarget(
  client: PlatformClient,
  target: ActionTarget,
  signal?: AbortSignal,
): Promise<LoadedTarget> {
  switch (target.kind) {
    case 'accessKey': {
      const record = await client.keys.get(target.applicationId, target.id, { signal });
      const label = `access key ${record.name ? `${quote(record.name)} ` : ''}(${record.key}, id ${record.id})`;
      return { kind: 'accessKey', applicationId: target.applicationId, record, label };
    }
    case 'apiToken': {
      const record = await client.applicationApiTokens(target.applicationId).get(target.id, { signal });
      return {
        kind: 'apiToken',
        applicationId: target.applicationId,
        record,
        label: `API token ${quote(record.name)} (id ${record.id})`,
      };
    }
    case 'oauthToken': {
      const record = await client.oauthTokens.get(target.id, { signal });
      const client_ = record.oauth.client_name ?? record.oauth.client_id;
      return { kind: 'oauthToken', record, label: `the OAuth token of ${quote(client_)} (id ${record.id})` };
    }
  }
}

/** Which permission an action on this kind of record needs. */
export function permissionFor(kind: ActionTarget['kind']): keyof InspectPermissions {
  if (kind === 'accessKey') return 'manageKeys';
  if (kind === 'apiToken') return 'manageApiTokens';
  return 'manageOauthTokens';
}

/** The change on the platform: status for (de/re)activation, DELETE for delete. */
export async function applyAction(
  client: PlatformClient,
  target: ActionTarget,
  action: InspectAction,
  signal?: AbortSignal,
): Promise<void> {
  const status = action === 'deactivate' ? ('inactive' as const) : ('active' as const);
  switch (target.kind) {
    case 'accessKey':
      if (action === 'delete') await client.keys.delete(target.applicationId, target.id, { signal });
      else await client.keys.patch(target.applicationId, target.id, { status }, { signal });
      return;
    case 'apiToken': {
      const tokens = client.applicationApiTokens(target.applicationId);
      if (action === 'delete') await tokens.delete(target.id, { signal });
      else await tokens.patch(target.id, { status }, { signal });
      return;
    }
    case 'oauthToken':
      if (action === 'delete') await client.oauthTokens.delete(target.id, { signal });
      else await client.oauthTokens.patch(target.id, { status }, { signal });
      return;
  }
}

/** The journal's action name: "deactivate-access-key", "delete-oauth-token". */
export function journalActionName(target: ActionTarget, action: InspectAction): string {
  const noun = { accessKey: 'access-key', apiToken: 'api-token', oauthToken: 'oauth-token' }[target.kind];
  return `${action}-${noun}`;
}
