import type { InspectAction } from '../../common/contract/inspect';
import { isPlatformError, keyReach, type ApplicationKey, type PlatformClient } from '../platform';
import type { LoadedTarget } from './action-target';

/** Which devices a key lets in, in words: "2 devices are restricted to it: CCS-1001 (65f…), …". */
async function keyDevices(client: PlatformClient, key: ApplicationKey, signal?: AbortSignal): Promise<string> {
  const reach = keyReach(key);
  if (reach.kind === 'devices') {
    const shown = await Promise.all(
      reach.deviceIds.slice(0, 5).map(async (id) => {
        try {
          const device = await client.devices.get(key.applicationId, id, { signal });
          return `${device.name} (${id})`;
        } catch (error) {
          if (isPlatformError(error, 'PLATFORM_NOT_FOUND')) return `${id} (deleted)`;
          return id;
        }
      }),
    );
    const more = reach.deviceIds.length > 5 ? `, and ${reach.deviceIds.length - 5} more` : '';
    const count = reach.deviceIds.length;
    return `${count} device${count === 1 ? ' is' : 's are'} restricted to it: ${shown.join(', ')}${more}`;
  }
  if (reach.kind === 'tags') {
    const tags = (key.deviceTags ?? []).map((tag) =>
      tag.value === undefined ? `${tag.key}` : `${tag.key}=${tag.value}`,
    );
    return `it lets in every device tagged ${tags.join(' or ')}${reach.deviceIds.length ? ` and ${reach.deviceIds.length} listed devices` : ''}`;
  }
  try {
    const page = await client.devices.list(key.applicationId, { perPage: 1 }, { signal });
    const total = page.totalCount;
    return total === undefined
      ? 'it is not restricted: every device of the application may use it'
      : `it is not restricted: any of the application's ${total} device${total === 1 ? '' : 's'} may use it`;
  } catch {
    return 'it is not restricted: every device of the application may use it';
  }
}

export interface Impact {
  title: string;
  consequence: string;
  details: string[];
  confirmLabel: string;
  irreversible: boolean;
}

/**
 * What stops (or starts again) working if the action goes ahead, in the words support uses on
 * the phone. Reads what it needs (the devices a key lets in); changes nothing.
 */
export async function describeImpact(
  client: PlatformClient,
  target: LoadedTarget,
  action: InspectAction,
  ownTokenId: string | undefined,
  signal?: AbortSignal,
): Promise<Impact> {
  const details: string[] = [];
  const verb = { deactivate: 'Deactivate', reactivate: 'Reactivate', delete: 'Delete' }[action];
  const title = `${verb} ${target.label}`;
  const irreversible = action === 'delete';
  const confirmLabel = `${verb} ${target.kind === 'accessKey' ? 'key' : 'token'}`;
  const status = target.record.status;
  if (action === 'deactivate' && status === 'inactive') details.push('It is already inactive: nothing changes.');
  if (action === 'reactivate' && status === 'active') details.push('It is already active: nothing changes.');
  let consequence: string;

  if (target.kind === 'accessKey') {
    const who = `Devices using ${target.label}`;
    const devices = await keyDevices(client, target.record, signal);
    if (action === 'reactivate') {
      consequence = `${who} can authenticate again at their next connection: ${devices}.`;
    } else {
      consequence = `${who} will fail to authenticate at their next connection${action === 'delete' ? ', for good' : ''}: ${devices}.`;
      details.push('Device tokens already issued with this key may stop working at once as well.');
    }
    if (action === 'delete') {
      details.push(
        'A deleted key cannot be restored and its secret is gone: those devices must be provisioned again (rotation) to get a new key.',
      );
    }
    if (target.record.name?.startsWith('keyline-')) {
      details.push(`Keyline minted this key in run ${target.record.name.slice('keyline-'.length)}.`);
    }
  } else if (target.kind === 'apiToken') {
    const who = `Scripts, services and integrations that use ${target.label}`;
    consequence =
      action === 'reactivate'
        ? `${who} are accepted again from their next request.`
        : `${who} will get 401 Unauthorized from their next request${action === 'delete' ? ', for good' : ' until it is reactivated'}.`;
    if (action === 'delete') {
      details.push(
        'A deleted token cannot be restored or shown again: create a new token and replace it where it is used.',
      );
    }
    if (ownTokenId === target.record.id && action !== 'reactivate') {
      details.push('This station itself uses this token: its lookups will stop working too.');
    }
  } else {
    const app = target.record.oauth.client_name ?? target.record.oauth.client_id;
    consequence =
      action === 'reactivate'
        ? `"${app}" may use your account again from its next request.`
        : action === 'delete'
          ? `"${app}" loses access to your account at once: the authorization is revoked, and it must ask you to authorize it again.`
          : `"${app}" will get 401 Unauthorized on its next request with this token, until it is reactivated.`;
    if (target.record.oauth.authorizationStatus === 'pending') {
      details.push('This authorization was never completed (pending); the platform removes it after 24 hours anyway.');
    }
    if (ownTokenId === target.record.id && action !== 'reactivate') {
      details.push("This is this station's own sign-in: the station will be signed out of the platform.");
    }
  }
  return { title, consequence, details, confirmLabel, irreversible };
}
