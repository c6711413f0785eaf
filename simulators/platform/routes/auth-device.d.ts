import type { AccessKey, Device } from '../model/types';
import { type RestRequest, type Reply } from './types';
/** Whether an access key covers a device: no restriction means every device of its application. */
export declare function keyAllowsDevice(key: AccessKey, device: Device): boolean;
/**
 * `POST /auth/device`: a device proves itself with access key and secret and gets a device token.
 * Every attempt, allowed or refused, goes to the device's connection log (when the device exists)
 * and to `/__sim/events`; each refusal is a 401 with its own message.
 */
export declare function authenticateDevice(request: RestRequest): Promise<Reply>;
