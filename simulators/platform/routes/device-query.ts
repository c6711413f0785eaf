import { validation } from '../http/api-error';
import type { Device } from '../model/types';

/**
 * The advanced `query` parameter (JSON) of device and access-key lists, the part of it the
 * simulator understands: `$and`/`$or`/`$nor`, and the listed fields compared with a value or with
 * `$eq $ne $gt $lt $gte $lte $in $nin $startsWith $endsWith $contains` (`$ci` for
 * case-insensitive). Anything else is a 400 rather than a silent match.
 */
type Predicate<T> = (item: T) => boolean;
type Fields<T> = Record<string, (item: T) => string>;

const DEVICE_FIELDS: Fields<Device> = {
  id: (device) => device.id,
  name: (device) => device.name,
  deviceClass: (device) => device.deviceClass,
  creationDate: (device) => device.creationDate,
  lastUpdated: (device) => device.lastUpdated,
};

export function parseDeviceQuery(raw: string): Predicate<Device> {
  return parseAdvancedQuery(raw, DEVICE_FIELDS);
}

export function parseAdvancedQuery<T>(raw: string, fields: Fields<T>): Predicate<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw validation('query must be JSON');
  }
  return compile(parsed, 'query', fields);
}

function compile<T>(node: unknown, path: string, fields: Fields<T>): Predicate<T> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw validation(`${path} must be an object`);
  const parts: Predicate<T>[] = [];
  for (const [name, value] of Object.entries(node)) {
    if (name === '$and' || name === '$or' || name === '$nor') {
      if (!Array.isArray(value)) throw validation(`${path}.${name} must be an array`);
      const children = value.map((child, index) => compile(child, `${path}.${name}[${index}]`, fields));
      if (name === '$and') parts.push((item) => children.every((child) => child(item)));
      if (name === '$or') parts.push((item) => children.some((child) => child(item)));
      if (name === '$nor') parts.push((item) => !children.some((child) => child(item)));
      continue;
    }
    const field = fields[name];
    if (!field) throw validation(`${path}.${name} is not supported by the simulator's query`);
    parts.push(compileField(field, value, `${path}.${name}`));
  }
  return (item) => parts.every((part) => part(item));
}

function compileField<T>(field: (item: T) => string, spec: unknown, path: string): Predicate<T> {
  if (spec === null || typeof spec !== 'object') {
    return (item) => field(item) === String(spec);
  }
  const operators = spec as Record<string, unknown>;
  const ci = operators.$ci === true;
  const norm = (value: unknown) => (ci ? String(value).toLowerCase() : String(value));
  const checks: Predicate<T>[] = [];
  for (const [operator, operand] of Object.entries(operators)) {
    const value = (item: T) => norm(field(item));
    switch (operator) {
      case '$ci':
        break;
      case '$eq':
        checks.push((item) => value(item) === norm(operand));
        break;
      case '$ne':
        checks.push((item) => value(item) !== norm(operand));
        break;
      case '$gt':
        checks.push((item) => value(item) > norm(operand));
        break;
      case '$lt':
        checks.push((item) => value(item) < norm(operand));
        break;
      case '$gte':
        checks.push((item) => value(item) >= norm(operand));
        break;
      case '$lte':
        checks.push((item) => value(item) <= norm(operand));
        break;
      case '$in':
      case '$nin': {
        if (!Array.isArray(operand)) throw validation(`${path}.${operator} must be an array`);
        const set = new Set(operand.map(norm));
        checks.push((item) => set.has(value(item)) === (operator === '$in'));
        break;
      }
      case '$startsWith':
        checks.push((item) => value(item).startsWith(norm(operand)));
        break;
      case '$endsWith':
        checks.push((item) => value(item).endsWith(norm(operand)));
        break;
      case '$contains':
        checks.push((item) => value(item).includes(norm(operand)));
        break;
      default:
        throw validation(`${path}.${operator} is not a supported operator`);
    }
  }
  return (item) => checks.every((check) => check(item));
}
