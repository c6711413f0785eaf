import { validation } from '../http/api-error';
import type { Device } from '../model/types';

/**
 * The advanced device `query` parameter (JSON), the part of it the simulator understands:
 * `$and`/`$or`/`$nor`, and the fields id, name, deviceClass, creationDate, lastUpdated compared
 * with a value or with `$eq $ne $gt $lt $gte $lte $in $nin $startsWith $endsWith $contains` (`$ci`
 * for case-insensitive). Anything else is a 400 rather than a silent match.
 */
type Predicate = (device: Device) => boolean;

const FIELDS: Record<string, (device: Device) => string> = {
  id: (device) => device.id,
  name: (device) => device.name,
  deviceClass: (device) => device.deviceClass,
  creationDate: (device) => device.creationDate,
  lastUpdated: (device) => device.lastUpdated,
};

export function parseDeviceQuery(raw: string): Predicate {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw validation('query must be JSON');
  }
  return compile(parsed, 'query');
}

function compile(node: unknown, path: string): Predicate {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw validation(`${path} must be an object`);
  const parts: Predicate[] = [];
  for (const [name, value] of Object.entries(node)) {
    if (name === '$and' || name === '$or' || name === '$nor') {
      if (!Array.isArray(value)) throw validation(`${path}.${name} must be an array`);
      const children = value.map((child, index) => compile(child, `${path}.${name}[${index}]`));
      if (name === '$and') parts.push((device) => children.every((child) => child(device)));
      if (name === '$or') parts.push((device) => children.some((child) => child(device)));
      if (name === '$nor') parts.push((device) => !children.some((child) => child(device)));
      continue;
    }
    const field = FIELDS[name];
    if (!field) throw validation(`${path}.${name} is not supported by the simulator's query`);
    parts.push(compileField(field, value, `${path}.${name}`));
  }
  return (device) => parts.every((part) => part(device));
}

function compileField(field: (device: Device) => string, spec: unknown, path: string): Predicate {
  if (spec === null || typeof spec !== 'object') {
    return (device) => field(device) === String(spec);
  }
  const operators = spec as Record<string, unknown>;
  const ci = operators.$ci === true;
  const norm = (value: unknown) => (ci ? String(value).toLowerCase() : String(value));
  const checks: Predicate[] = [];
  for (const [operator, operand] of Object.entries(operators)) {
    const value = (device: Device) => norm(field(device));
    switch (operator) {
      case '$ci':
        break;
      case '$eq':
        checks.push((device) => value(device) === norm(operand));
        break;
      case '$ne':
        checks.push((device) => value(device) !== norm(operand));
        break;
      case '$gt':
        checks.push((device) => value(device) > norm(operand));
        break;
      case '$lt':
        checks.push((device) => value(device) < norm(operand));
        break;
      case '$gte':
        checks.push((device) => value(device) >= norm(operand));
        break;
      case '$lte':
        checks.push((device) => value(device) <= norm(operand));
        break;
      case '$in':
      case '$nin': {
        if (!Array.isArray(operand)) throw validation(`${path}.${operator} must be an array`);
        const set = new Set(operand.map(norm));
        checks.push((device) => set.has(value(device)) === (operator === '$in'));
        break;
      }
      case '$startsWith':
        checks.push((device) => value(device).startsWith(norm(operand)));
        break;
      case '$endsWith':
        checks.push((device) => value(device).endsWith(norm(operand)));
        break;
      case '$contains':
        checks.push((device) => value(device).includes(norm(operand)));
        break;
      default:
        throw validation(`${path}.${operator} is not a supported operator`);
    }
  }
  return (device) => checks.every((check) => check(device));
}
