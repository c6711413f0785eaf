import type { Principal } from '../authz/principal';
import type { PlatformStore } from '../model/store';
import type { ActorType } from '../model/types';

/** Who the platform records as having made a change (createdBy..., creator...). */
export function actorOf(store: PlatformStore, principal: Principal): { id: string; type: ActorType; name: string } {
  switch (principal.kind) {
    case 'userApiToken':
    case 'oauth': {
      const user = store.user(principal.userId);
      return { id: principal.userId, type: 'user', name: user ? `${user.firstName} ${user.lastName}`.trim() : '' };
    }
    case 'apiToken':
      return { id: principal.tokenId, type: 'apiToken', name: principal.name };
    case 'device':
      // Devices cannot create keys or tokens (no scope allows it); recorded as a flow would be.
      return { id: principal.deviceId, type: 'flow', name: 'device' };
  }
}
