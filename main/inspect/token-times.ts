import type { TokenKind, TokenTimes, TokenWarning } from '../../common/contract/inspect';

/** "Expires soon" means within a day: enough warning to replace a token before a shift ends. */
export const EXPIRES_SOON_SECONDS = 24 * 60 * 60;
/** Clocks of the station and the issuer may differ this much before it is worth saying. */
export const CLOCK_TOLERANCE_SECONDS = 5 * 60;
/** Dates past this are not dates (ECMAScript's limit is 8.64e15 ms). */
const MAX_EPOCH_SECONDS = 8.64e12;

export function formatDuration(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 2 * 86400) {
    const minutes = Math.floor((s % 3600) / 60);
    return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
  }
  if (s < 365 * 86400) return `${Math.floor(s / 86400)} days`;
  const years = Math.floor(s / (365 * 86400));
  return `${years} year${years === 1 ? '' : 's'}`;
}

/** What to do when a token of this kind runs out. */
function renewal(kind: TokenKind): string {
  switch (kind) {
    case 'device':
      return 'The device gets a new one by authenticating again with its access key and secret (POST /auth/device).';
    case 'oauthAccess':
      return 'The app renews it with its refresh token; if that fails, the technician signs in again.';
    case 'applicationApi':
    case 'userApi':
    case 'api':
      return 'Create a new API token and replace it where it is used: an expiration date cannot be changed.';
    default:
      return 'Get a new token from whoever issued it.';
  }
}

function neverExpires(kind: TokenKind): string {
  if (kind === 'device') {
    return (
      'Never expires. Device tokens do not expire; the recommended practice is that the device authenticates ' +
      'with its access key and secret at every boot and keeps the token only in memory. If this token leaked, ' +
      "rotate the device's access key (re-provision it)."
    );
  }
  if (kind === 'oauthAccess') {
    return 'Never expires, which is unusual for an OAuth access token: it works until it is deactivated or deleted.';
  }
  return 'Never expires: if it leaks it works until someone deactivates or deletes it on the platform.';
}

type Seconds = { value: number } | { invalid: true } | undefined;

function seconds(claims: Record<string, unknown>, name: string): Seconds {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_EPOCH_SECONDS) {
    return { invalid: true };
  }
  return { value };
}

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

/**
 * Reads `iat`, `nbf` and `exp` (seconds since the epoch) against the station's clock and says
 * what a technician needs to know: expired, expires soon, never expires, or clocks that disagree.
 */
export function judgeTimes(
  claims: Record<string, unknown>,
  kind: TokenKind,
  nowMs: number,
): { times: TokenTimes; warnings: TokenWarning[] } {
  const now = nowMs / 1000;
  const warnings: TokenWarning[] = [];
  const times: TokenTimes = { status: 'valid', expiry: 'Never', checkedAt: new Date(nowMs).toISOString() };
  const when = (at: number) =>
    at > now ? `In ${formatDuration(at - now)}, at ${iso(at)}` : `${formatDuration(now - at)} ago, at ${iso(at)}`;
  const readable: Record<'iat' | 'nbf' | 'exp', number | undefined> = {
    iat: undefined,
    nbf: undefined,
    exp: undefined,
  };
  for (const name of ['iat', 'nbf', 'exp'] as const) {
    const read = seconds(claims, name);
    if (read && 'invalid' in read) {
      warnings.push({
        code: 'BAD_TIME_CLAIM',
        severity: 'warning',
        message: `The "${name}" claim is not a time in seconds since 1970: the platform may refuse this token.`,
      });
    } else if (read) readable[name] = read.value;
  }
  const { iat, nbf, exp } = readable;
  if (iat !== undefined) {
    times.issuedAt = iso(iat);
    times.issued = when(iat);
  }
  if (nbf !== undefined) times.notBefore = iso(nbf);

  if (exp === undefined) {
    if (claims['exp'] === undefined) {
      times.status = 'neverExpires';
      warnings.push({ code: 'NEVER_EXPIRES', severity: 'warning', message: neverExpires(kind) });
    } else {
      times.status = 'unknown';
      times.expiry = 'Unknown: the "exp" claim is not a time';
    }
  } else {
    times.expiresAt = iso(exp);
    times.expiresInSeconds = Math.round(exp - now);
    times.expiry = exp <= now ? `Expired ${formatDuration(now - exp)} ago, at ${iso(exp)}` : when(exp);
    if (exp <= now) {
      times.status = 'expired';
      warnings.push({
        code: 'EXPIRED',
        severity: 'danger',
        message: `Expired ${formatDuration(now - exp)} ago (${times.expiresAt}): the platform answers 401 to it. ${renewal(kind)}`,
      });
    } else if (exp - now < EXPIRES_SOON_SECONDS) {
      times.status = 'expiresSoon';
      // OAuth access tokens are short-lived by design and renewed without anyone noticing.
      const routine = kind === 'oauthAccess';
      warnings.push({
        code: 'EXPIRES_SOON',
        severity: routine ? 'info' : 'warning',
        message:
          `Expires in ${formatDuration(exp - now)} (${times.expiresAt})` +
          (routine ? ', as OAuth access tokens do. ' : '. ') +
          renewal(kind),
      });
    }
  }

  if (nbf !== undefined && nbf > now + CLOCK_TOLERANCE_SECONDS && times.status !== 'expired') {
    times.status = 'notYetValid';
    warnings.push({
      code: 'NOT_YET_VALID',
      severity: 'danger',
      message: `Not valid before ${times.notBefore} (in ${formatDuration(nbf - now)}): either it was made for later or a clock is wrong.`,
    });
  }
  if (iat !== undefined && iat > now + CLOCK_TOLERANCE_SECONDS) {
    warnings.push({
      code: 'ISSUED_IN_FUTURE',
      severity: 'warning',
      message: `Issued ${formatDuration(iat - now)} in the future (${times.issuedAt}): this station's clock or the issuer's clock is off.`,
    });
  }
  return { times, warnings };
}
