import type { Device } from '../model/types';
/**
 * The advanced device `query` parameter (JSON), the part of it the simulator understands:
 * `$and`/`$or`/`$nor`, and the fields id, name, deviceClass, creationDate, lastUpdated compared
 * with a value or with `$eq $ne $gt $lt $gte $lte $in $nin $startsWith $endsWith $contains` (`$ci`
 * for case-insensitive). Anything else is a 400 rather than a silent match.
 */
type Predicate = (device: Device) => boolean;
export declare function parseDeviceQuery(raw: string): Predicate;
export {};
