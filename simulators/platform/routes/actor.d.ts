import type { Principal } from '../authz/principal';
import type { PlatformStore } from '../model/store';
import type { ActorType } from '../model/types';
/** Who the platform records as having made a change (createdBy..., creator...). */
export declare function actorOf(store: PlatformStore, principal: Principal): {
    id: string;
    type: ActorType;
    name: string;
};
