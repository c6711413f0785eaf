import type { z } from 'zod';
import { PlatformError } from './errors';
import { ID_PATTERN } from './schemas';

/**
 * Checks an id before it goes into a path: only the ObjectId form, so that no value can change
 * the path (`..`, `/`, `?`).
 */
export function checkId(value: string, what: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new PlatformError('PLATFORM_VALIDATION', `The ${what} must be 24 hexadecimal characters.`);
  }
  return value;
}

/** Validates a request body or query before sending; names fields and problems, never values. */
export function checkInput<S extends z.ZodType>(schema: S, value: unknown, action: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'request';
    if (issue.code === 'unrecognized_keys') return `${where}: unknown field(s) ${issue.keys.join(', ')}`;
    return `${where}: ${issue.code}`;
  });
  throw new PlatformError(
    'PLATFORM_VALIDATION',
    `The request to ${action} is invalid and was not sent (${problems.join('; ')}).`,
  );
}
