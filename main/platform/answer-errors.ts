import type { z } from 'zod';
import { PlatformError } from './errors';
import { BodyError } from './read-body';

/** Added to every message about a change whose outcome is unknown. */
export const LOOK_IT_UP = ' It may have taken effect anyway: look it up before trying again.';

/**
 * A redirect is never followed: to another host it could carry the token away; within the same
 * host it means the API URL is not quite right, and the message says how.
 */
export function redirectError(action: string, apiUrl: URL, path: string, response: Response): PlatformError {
  const location = response.headers.get('location');
  let target: URL | undefined;
  try {
    target = location ? new URL(location, `${apiUrl.origin}${path}`) : undefined;
  } catch {
    target = undefined;
  }
  let where: string;
  if (!target) where = 'a redirect without a usable location';
  else if (target.origin !== apiUrl.origin && target.host === apiUrl.host && target.protocol === 'https:') {
    where = `a redirect to ${target.origin}: set the API URL to https://${apiUrl.host}${apiUrl.pathname}`;
  } else if (target.origin !== apiUrl.origin) where = `a redirect to another host (${target.origin}), which is refused`;
  else where = 'a redirect within the same server: check the path of the API URL';
  return new PlatformError(
    'PLATFORM_BAD_RESPONSE',
    `The platform answered the request to ${action} with ${where} (${response.status}).`,
    { status: response.status },
  );
}

/** A 2xx whose body is too large, not JSON or malformed. */
export function unusableBodyError(action: string, cause: unknown, mutates: boolean, status: number): PlatformError {
  const problem = cause instanceof BodyError ? cause.problem : undefined;
  let words = 'an unreadable answer';
  if (problem?.kind === 'too-large') words = `an answer larger than ${Math.round(problem.limit / 1024)} KiB`;
  if (problem?.kind === 'malformed') words = 'malformed JSON';
  if (problem?.kind === 'not-json') {
    const mime = (problem.contentType.split(';')[0] ?? '').replace(/[^\w.+/-]/g, '').slice(0, 60) || 'untyped';
    words = `a ${mime} answer instead of JSON (a proxy or sign-in page in the way? check the API URL)`;
  }
  return new PlatformError(
    'PLATFORM_BAD_RESPONSE',
    `The platform answered the request to ${action} with ${words}.${mutates ? LOOK_IT_UP : ''}`,
    { status, outcomeUnknown: mutates, cause },
  );
}

/** An answer of the wrong shape: names fields and issue codes only, never values (they could be secrets). */
export function shapeError(action: string, error: z.ZodError, mutates: boolean): PlatformError {
  const issues = error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(answer)'}: ${issue.code}`)
    .join('; ');
  return new PlatformError(
    'PLATFORM_BAD_RESPONSE',
    `The platform's answer to the request to ${action} does not have the expected shape (${issues}). Check that the API URL points at a platform speaking API 1.30.${mutates ? LOOK_IT_UP : ''}`,
    { outcomeUnknown: mutates, cause: error },
  );
}
