import { Router } from '../http/router';
import type { RestHandler } from './types';
/** Every REST endpoint of platform-api.md. */
export declare function restRouter(): Router<RestHandler>;
