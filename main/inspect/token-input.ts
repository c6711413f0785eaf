import { INSPECT_TOKEN_MAX_LENGTH } from '../../common/contract/inspect';
import { InspectError } from './inspect-error';

/** What a pasted text turned out to hold, before anything is decoded. */
export type TokenInput =
  | { format: 'jwt'; token: string; segments: [string, string, string] }
  | { format: 'jwe'; token: string }
  | { format: 'opaque'; token: string };

/** Room for what surrounds a pasted token: "Authorization: Bearer", quotes, line breaks. */
export const INSPECT_TOKEN_INPUT_MAX_LENGTH = INSPECT_TOKEN_MAX_LENGTH + 1024;

/** RFC 6750 `b64token`: what a bearer token may contain. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]*$/;
/** Shorter strings are words, ids or fragments, not tokens. */
const MIN_OPAQUE_LENGTH = 16;

function unwrap(text: string): string {
  let token = text.trim();
  // What people copy around a token: quotes, an Authorization header, the word Bearer.
  const quoted = /^(["'`])(.*)\1$/s.exec(token);
  if (quoted) token = quoted[2]!.trim();
  token = token.replace(/^authorization\s*:\s*/i, '');
  token = token.replace(/^bearer(\s+|$)/i, '');
  return token.trim();
}

/** JWS/JWE compact form: base64url segments, the first a JSON object (so it starts with "ey", from `{"`). */
function isCompact(token: string, parts: number): boolean {
  const segments = token.split('.');
  return (
    segments.length === parts && segments[0]!.startsWith('ey') && segments.every((part) => BASE64URL_SEGMENT.test(part))
  );
}

/**
 * Finds the token in what was pasted and says which format it has. Throws an `InspectError` for
 * empty, oversized or non-token input (a web page, an error message, a sentence); never echoes it.
 */
export function readTokenInput(text: string): TokenInput {
  const tooLarge = () =>
    new InspectError(
      'INSPECT_TOKEN_TOO_LARGE',
      `This is longer than any platform token (over ${INSPECT_TOKEN_MAX_LENGTH / 1024} KiB). Paste only the token.`,
    );
  // Checked before any work on the text, and again once "Bearer" and spaces are gone.
  if (text.length > INSPECT_TOKEN_INPUT_MAX_LENGTH) throw tooLarge();
  let token = unwrap(text);
  if (token.length > INSPECT_TOKEN_MAX_LENGTH) throw tooLarge();
  if (token === '') throw new InspectError('INSPECT_TOKEN_EMPTY', 'Nothing to decode: paste a token first.');
  // A JWT copied from a narrow terminal arrives wrapped over several lines.
  const joined = token.replace(/\s+/g, '');
  if (joined !== token && (isCompact(joined, 3) || isCompact(joined, 5))) token = joined;

  if (isCompact(token, 3)) {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    return { format: 'jwt', token, segments: [header, payload, signature] };
  }
  if (isCompact(token, 5)) return { format: 'jwe', token };
  if (token.startsWith('eyJ') && /^[A-Za-z0-9_.-]+$/.test(token)) {
    throw new InspectError(
      'INSPECT_TOKEN_MALFORMED',
      'This looks like the start of a JWT but it is incomplete: a JWT has three parts separated by dots. ' +
        'Copy the whole token again.',
    );
  }
  if (/[<>]/.test(token)) {
    throw new InspectError(
      'INSPECT_NOT_A_TOKEN',
      'This looks like a web page or markup, not a token. Paste only the token (it often starts with "eyJ").',
    );
  }
  if (!BEARER_TOKEN.test(token)) {
    throw new InspectError(
      'INSPECT_NOT_A_TOKEN',
      'This is not a token: it contains spaces or characters tokens never have. Paste only the token.',
    );
  }
  if (token.length < MIN_OPAQUE_LENGTH) {
    throw new InspectError('INSPECT_NOT_A_TOKEN', 'This is too short to be a token. Paste the whole token.');
  }
  return { format: 'opaque', token };
}
