import { type Reply, type RestRequest } from './types';
/** `/me`, `/orgs`, `/applications`: who the caller is and what they can reach. */
export declare function getMe(request: RestRequest): Promise<Reply>;
export declare function listOrgs(request: RestRequest): Promise<Reply>;
export declare function getOrg(request: RestRequest): Promise<Reply>;
export declare function listApplications(request: RestRequest): Promise<Reply>;
export declare function getApplication(request: RestRequest): Promise<Reply>;
