import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { DecodedToken, TokenKind, TokenWarning } from '../../common/contract/inspect';
import { explainScopes, parseScopeClaim, type ScopeExplanation } from '../../common/platform/scopes';
import type { SecretRedactor } from '../security/secret-redactor';
import { InspectError } from './inspect-error';
import { toJsonObject } from './json-safe';
import { classifyToken, describeSubject, KIND_LABELS, unreadableSubject } from './token-kind';
import { readTokenInput, type TokenInput } from './token-input';
import { judgeTimes } from './token-times';

export interface DecodeTokenOptions {
  /** The station's clock in milliseconds since the epoch (tests pass a fixed one). */
  now?: () => number;
  /** Holds the token while it is decoded, so that no log line written meanwhile can carry it. */
  redactor?: SecretRedactor;
}

const SEVERITY_ORDER = { danger: 0, warning: 1, info: 2 } as const;

const NOT_VERIFIED: TokenWarning = {
  code: 'SIGNATURE_NOT_VERIFIED',
  severity: 'info',
  message:
    'Signature not verified: Keyline reads the token without checking who signed it, so anyone could have ' +
    'written these claims. Only the platform can say whether it accepts the token.',
};

function sorted(warnings: TokenWarning[]): TokenWarning[] {
  return warnings
    .map((warning, index) => ({ warning, index }))
    .sort((a, b) => SEVERITY_ORDER[a.warning.severity] - SEVERITY_ORDER[b.warning.severity] || a.index - b.index)
    .map(({ warning }) => warning);
}

function scopeWarnings(kind: TokenKind, explanation: ScopeExplanation | null): TokenWarning[] {
  if (!explanation) {
    if (kind === 'userSession') {
      return [
        {
          code: 'BROADER_THAN_NEEDED',
          severity: 'warning',
          message:
            'A user session token acts with every permission of the user, sensitive actions included. ' +
            'A provisioning station signs in with OAuth and bounded scopes instead.',
        },
      ];
    }
    return [
      {
        code: 'NO_SCOPES',
        severity: kind === 'unknown' ? 'info' : 'warning',
        message:
          'The token carries no scopes Keyline can read, so it cannot say what the token may do; ' +
          'the platform may refuse its calls.',
      },
    ];
  }
  const warnings: TokenWarning[] = [];
  if (explanation.broaderThan) {
    warnings.push({ code: 'BROADER_THAN_NEEDED', severity: 'warning', message: explanation.broaderThan.reason });
  }
  if (explanation.unknown.length > 0) {
    warnings.push({
      code: 'UNKNOWN_SCOPES',
      severity: 'info',
      message: `Keyline does not know ${explanation.unknown.join(', ')}; the platform decides what ${explanation.unknown.length === 1 ? 'it allows' : 'they allow'}.`,
    });
  }
  return warnings;
}

function decodeJws(input: Extract<TokenInput, { format: 'jwt' }>, nowMs: number): DecodedToken {
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  // jose's errors are not kept as causes: a JSON parse error may quote part of the decoded text.
  try {
    header = decodeProtectedHeader(input.token);
  } catch {
    throw new InspectError(
      'INSPECT_TOKEN_MALFORMED',
      'This looks like a JWT but its header does not decode: it may have been cut off while copying. Copy the whole token again.',
    );
  }
  try {
    claims = decodeJwt(input.token);
  } catch {
    throw new InspectError(
      'INSPECT_TOKEN_MALFORMED',
      'This looks like a JWT but its claims do not decode: it may have been cut off while copying. Copy the whole token again.',
    );
  }
  const scopes = parseScopeClaim(claims['scope'] ?? claims['scp'] ?? claims['scopes']);
  const kind = classifyToken(header, claims, scopes);
  const explanation = scopes ? explainScopes(scopes) : null;
  const { times, warnings: timeWarnings } = judgeTimes(claims, kind, nowMs);
  const warnings: TokenWarning[] = [];
  const alg = typeof header['alg'] === 'string' ? header['alg'].toLowerCase() : undefined;
  if (alg === 'none' || input.segments[2] === '') {
    warnings.push({
      code: 'UNSIGNED',
      severity: 'danger',
      message:
        'This token is not signed. The platform never issues unsigned tokens: it refuses this one, and anyone could have made it.',
    });
  }
  if (kind === 'experienceUser') {
    warnings.push({
      code: 'NOT_FOR_PLATFORM_API',
      severity: 'danger',
      message:
        "Experience user tokens work only on an application's experience endpoints, never on the platform API: " +
        'this token cannot provision devices, and a device cannot use it.',
    });
  }
  warnings.push(...timeWarnings, ...scopeWarnings(kind, explanation), NOT_VERIFIED);
  return {
    format: 'jwt',
    kind,
    kindLabel: KIND_LABELS[kind],
    signatureVerified: false,
    header: toJsonObject(header),
    claims: toJsonObject(claims),
    subject: describeSubject(kind, header, claims),
    scopes: explanation,
    times,
    warnings: sorted(warnings),
    length: input.token.length,
  };
}

function decodeUnreadable(input: Exclude<TokenInput, { format: 'jwt' }>, nowMs: number): DecodedToken {
  const kind = input.format === 'jwe' ? 'encrypted' : 'opaque';
  let header: Record<string, unknown> | null = null;
  if (input.format === 'jwe') {
    try {
      header = decodeProtectedHeader(input.token);
    } catch {
      throw new InspectError(
        'INSPECT_TOKEN_MALFORMED',
        'This looks like an encrypted JWT but its header does not decode: copy the whole token again.',
      );
    }
  }
  const warning: TokenWarning =
    kind === 'encrypted'
      ? {
          code: 'ENCRYPTED',
          severity: 'info',
          message:
            "The claims are encrypted (JWE): only the issuer's key can read them. Platform tokens are never encrypted.",
        }
      : {
          code: 'NOT_A_JWT',
          severity: 'info',
          message:
            'Not a JWT, so Keyline cannot read whom it belongs to, what it may do or when it expires. It may be an ' +
            'opaque OAuth access or refresh token, or a key or secret rather than a token. Only the platform can ' +
            'tell: a 401 answer means it is not, or no longer, valid.',
        };
  return {
    format: input.format,
    kind,
    kindLabel: KIND_LABELS[kind],
    signatureVerified: false,
    header: header ? toJsonObject(header) : null,
    claims: null,
    subject: unreadableSubject(kind),
    scopes: null,
    times: {
      status: 'unknown',
      expiry: 'Unknown: only the platform knows when this token expires',
      checkedAt: new Date(nowMs).toISOString(),
    },
    warnings: [
      warning,
      {
        code: 'SIGNATURE_NOT_VERIFIED',
        severity: 'info',
        message: 'Not verified: Keyline cannot check this token; only the platform can say whether it accepts it.',
      },
    ],
    length: input.token.length,
  };
}

/**
 * Decodes a pasted token without trusting it. The text is registered with the redactor for the
 * duration of the call and released after; the result carries the decoded header and claims,
 * never the token or its signature. Throws `InspectError` for input that holds no token.
 */
export function decodeToken(text: string, options: DecodeTokenOptions = {}): DecodedToken {
  const { redactor } = options;
  const releases = redactor ? [redactor.add(text)] : [];
  try {
    const input = readTokenInput(text);
    if (redactor) {
      releases.push(redactor.add(input.token));
      // The signature is the only part of a JWT not shown back; with the claims it rebuilds the token.
      if (input.format === 'jwt') releases.push(redactor.add(input.segments[2]));
    }
    const nowMs = (options.now ?? Date.now)();
    return input.format === 'jwt' ? decodeJws(input, nowMs) : decodeUnreadable(input, nowMs);
  } finally {
    for (const release of releases) release();
  }
}
