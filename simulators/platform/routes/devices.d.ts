import { type Reply, type RestRequest } from './types';
export declare function listDevices(request: RestRequest): Promise<Reply>;
export declare function createDevice(request: RestRequest): Promise<Reply>;
export declare function getDevice(request: RestRequest): Promise<Reply>;
export declare function patchDevice(request: RestRequest): Promise<Reply>;
export declare function deleteDevice(request: RestRequest): Promise<Reply>;
/**
 * `POST .../state`: one report or an array. Data for attributes the device does not define is
 * dropped; the composite state keeps the newest value per attribute. Limited per device.
 */
export declare function sendState(request: RestRequest): Promise<Reply>;
export declare function getCompositeState(request: RestRequest): Promise<Reply>;
export declare function getLogEntries(request: RestRequest): Promise<Reply>;
