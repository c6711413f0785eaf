import type { DecodedToken } from '../../common/contract/inspect';

/**
 * Characters a terminal acts on rather than prints (C0 and C1 controls, which start escape
 * sequences) and ones that reorder text (bidirectional overrides). Claims are untrusted: a token
 * could otherwise recolour the terminal, move the cursor or disguise an id.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeCharacter = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Untrusted text made safe to print on a terminal: controls and bidi marks shown as `\uXXXX`. */
export function terminalSafe(text: string): string {
  return text.replace(UNPRINTABLE, escapeCharacter);
}

/** JSON for a terminal or a file: valid JSON, with the characters above escaped too. */
export function safeJson(value: unknown): string {
  return terminalSafe(JSON.stringify(value, null, 2));
}

/** An untrusted value on one line: a claim must not be able to forge the lines after it. */
function oneLine(text: string): string {
  return text.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

function indent(text: string, prefix = '  '): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/** The human form of `keyline inspect token`: what support staff read out on a call. */
export function formatTokenReport(token: DecodedToken): string {
  const { times } = token;
  const lines: string[] = [];
  lines.push(`${token.kindLabel} (signature not verified)`);
  lines.push(`Belongs to: ${oneLine(token.subject.summary)}`);
  for (const fact of token.subject.facts) lines.push(`  ${`${fact.label}:`.padEnd(18)}${oneLine(fact.value)}`);
  if (times.issued) lines.push(`Issued:     ${times.issued}`);
  if (times.notBefore) lines.push(`Not before: ${times.notBefore}`);
  lines.push(`Expires:    ${times.expiry}`);
  lines.push('', 'Warnings:');
  for (const warning of token.warnings) lines.push(`  [${warning.severity}] ${warning.message}`);
  if (token.scopes) {
    lines.push('', 'Scopes:');
    for (const scope of token.scopes.scopes) lines.push(`  ${scope.scope}: ${scope.summary}`);
    lines.push('', 'Can:');
    for (const item of token.scopes.can) lines.push(`  + ${item}`);
    if (token.scopes.can.length === 0) lines.push('  (nothing Keyline knows of)');
    lines.push('', 'Cannot:');
    for (const item of token.scopes.cannot) lines.push(`  - ${item}`);
  }
  if (token.header) lines.push('', 'Header:', indent(JSON.stringify(token.header, null, 2)));
  if (token.claims) lines.push('', 'Claims:', indent(JSON.stringify(token.claims, null, 2)));
  return `${terminalSafe(lines.join('\n'))}\n`;
}
