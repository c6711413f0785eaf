/**
 * Platform scopes in plain words, and whether a set of granted scopes allows a call.
 *
 * The platform's rule (platform-api.md, "Scopes"): a call is allowed when the token holds any
 * scope in that call's list. A call's list is the call itself (`device.sendState`), its resource's
 * wildcard (`device.*`) and every group that covers it (`all.Application`, `all.Device`, …).
 * `scopesAllowingCall` builds that list from the catalogue, so the inspector, the sign-in screen
 * and the pipeline all judge scopes the same way.
 *
 * Pure TypeScript: runs in main, the renderer and the simulators alike.
 */
import {
  CAPABILITIES,
  DEVICE_CALLS,
  READ_ACTIONS,
  RESOURCES,
  SCOPE_GROUPS,
  SENSITIVE,
  THIRD_PARTY_SCOPES,
  TOKEN_RESOURCES,
  type GroupDefinition,
  type ResourceDefinition,
  type ScopeGroup,
  type SensitiveCategory,
} from './scope-catalogue';

export { SCOPE_GROUPS, THIRD_PARTY_SCOPES, type ScopeGroup, type SensitiveCategory } from './scope-catalogue';

/** `group`: a named group; `resource`: `<resource>.*`; `call`: `<resource>.<action>`; `unknown`: anything else. */
export type ScopeKind = 'group' | 'resource' | 'call' | 'unknown';

export interface ScopeDescription {
  readonly scope: string;
  readonly kind: ScopeKind;
  /** Short plain-words name ("Read-only access to applications"). */
  readonly title: string;
  /** One or two sentences: what it reaches and what it allows there. */
  readonly summary: string;
  readonly can: string[];
  readonly cannot: string[];
  /** May a third-party OAuth client request it (`scopes_supported`)? */
  readonly thirdParty: boolean;
}

/** Granted scopes that reach sensitive actions a provisioning station never needs. */
export interface BroaderThanNeeded {
  /** The granted scopes that go too far. */
  readonly scopes: string[];
  /** The same grant with those scopes narrowed (`all.Application` → `all.Application.bounded`). */
  readonly suggested: string[];
  readonly categories: SensitiveCategory[];
  /** Plain words for the warning. */
  readonly reason: string;
}

export interface ScopeExplanation {
  /** Each granted scope (duplicates removed), described. */
  readonly scopes: ScopeDescription[];
  /** What the grant allows, in plain words. */
  readonly can: string[];
  /** What it does not allow, in plain words. */
  readonly cannot: string[];
  readonly broaderThan?: BroaderThanNeeded;
  /** Scopes the catalogue does not know (judged by exact match only). */
  readonly unknown: string[];
}

interface ParsedCall {
  readonly call: string;
  readonly resource: string;
  readonly action: string;
  readonly definition: ResourceDefinition | undefined;
}

const CALL = /^([a-z][A-Za-z0-9]*)\.([a-z][A-Za-z0-9]*)$/;
const WILDCARD = /^([a-z][A-Za-z0-9]*)\.\*$/;
const GROUP_NAMES = Object.keys(SCOPE_GROUPS) as ScopeGroup[];
const SENSITIVE_CATEGORIES = Object.keys(SENSITIVE) as SensitiveCategory[];
const MAX_SCOPES = 500;
const MAX_SCOPE_LENGTH = 200;

export function isScopeGroup(scope: string): scope is ScopeGroup {
  return Object.hasOwn(SCOPE_GROUPS, scope);
}

export function isThirdPartyScope(scope: string): boolean {
  return (THIRD_PARTY_SCOPES as readonly string[]).includes(scope);
}

/**
 * The scopes in a token's claim or a token response: an array (platform tokens) or one
 * space-separated string (OAuth). Anything that is not a string is dropped; `undefined` when the
 * value holds no scopes at all.
 */
export function parseScopeClaim(value: unknown): string[] | undefined {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const scopes = items
    .filter((item): item is string => typeof item === 'string')
    .flatMap((item) => item.split(/\s+/))
    .filter((scope) => scope.length > 0 && scope.length <= MAX_SCOPE_LENGTH);
  return scopes.length > 0 ? [...new Set(scopes)].slice(0, MAX_SCOPES) : undefined;
}

function parseCall(call: string): ParsedCall | undefined {
  const match = CALL.exec(call);
  if (!match) return undefined;
  const [, resource = '', action = ''] = match;
  if (resource === 'all' || resource === 'only') return undefined;
  return { call, resource, action, definition: Object.hasOwn(RESOURCES, resource) ? RESOURCES[resource] : undefined };
}

function isReadAction(action: string): boolean {
  return action === 'get' || /^get[A-Z]/.test(action) || READ_ACTIONS.has(action);
}

/** The sensitive category of a call, if no `.bounded` scope may make it. */
function sensitiveCategory({ call, resource, action }: ParsedCall): SensitiveCategory | undefined {
  if (TOKEN_RESOURCES.has(resource) && !isReadAction(action)) return 'apiTokens';
  if ((resource === 'orgInvites' || resource === 'orgInvite') && !isReadAction(action)) return 'members';
  return SENSITIVE_CATEGORIES.find((category) => (SENSITIVE[category].calls as readonly string[]).includes(call));
}

function reaches(group: GroupDefinition, parsed: ParsedCall): boolean {
  const level = parsed.definition?.level;
  switch (group.reach) {
    case 'device':
      return DEVICE_CALLS.has(parsed.call);
    case 'application':
      return level === 'application';
    case 'organization':
      return level === 'application' || level === 'organization';
    case 'organizationOnly':
      return level === 'organization' && (!parsed.definition?.listingOnly || isReadAction(parsed.action));
    case 'user':
      return level !== undefined;
    case 'userOnly':
      return level === 'user';
  }
}

function groupCovers(group: GroupDefinition, parsed: ParsedCall): boolean {
  if (!reaches(group, parsed)) return false;
  if (group.access === 'read') return isReadAction(parsed.action);
  if (group.access === 'bounded') return sensitiveCategory(parsed) === undefined;
  return true;
}

/**
 * Every scope that allows a call (`<resource>.<action>`): the groups that cover it, the resource
 * wildcard and the call itself, in the platform's order. Empty for something that is not a call.
 * A call on a resource the catalogue does not know is allowed by its wildcard and itself only.
 */
export function scopesAllowingCall(call: string): string[] {
  return [...callScopeList(call)];
}

/** Calls are a small, fixed vocabulary; their lists are worked out once. */
const callLists = new Map<string, readonly string[]>();
const MAX_CACHED_CALLS = 1000;

function callScopeList(call: string): readonly string[] {
  const cached = callLists.get(call);
  if (cached) return cached;
  const parsed = parseCall(call);
  const list = parsed
    ? [...GROUP_NAMES.filter((name) => groupCovers(SCOPE_GROUPS[name], parsed)), `${parsed.resource}.*`, call]
    : [];
  if (callLists.size < MAX_CACHED_CALLS) callLists.set(call, list);
  return list;
}

/** Whether the granted scopes allow a call: the token holds any scope in the call's list. */
export function scopesAllow(granted: Iterable<string>, call: string): boolean {
  const held = granted instanceof Set ? (granted as ReadonlySet<string>) : new Set(granted);
  return callScopeList(call).some((scope) => held.has(scope));
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function callWords(parsed: ParsedCall): string {
  const { action, definition } = parsed;
  if (!definition) return `Call "${action}" on "${parsed.resource}" (a resource Keyline has no description of)`;
  const { words, collection } = definition;
  if (action === 'get') return collection ? `List ${words}` : `Read ${words}`;
  if (action === 'post' && collection) return `Create ${words}`;
  if (action === 'patch') return `Change ${words}`;
  if (action === 'delete') return `Delete ${words}`;
  const spoken = action.replace(/([A-Z])/g, ' $1').toLowerCase();
  if (spoken.startsWith('get ')) return `Read the ${spoken.slice(4)} of ${words}`;
  return `${sentence(spoken)} for ${words}`;
}

/** One scope in plain words. Never throws: an unknown scope is described as unknown. */
export function describeScope(scope: string): ScopeDescription {
  const thirdParty = isThirdPartyScope(scope);
  if (isScopeGroup(scope)) {
    const { title, summary, can, cannot } = SCOPE_GROUPS[scope];
    return { scope, kind: 'group', title, summary, can: [...can], cannot: [...cannot], thirdParty };
  }
  const wildcard = WILDCARD.exec(scope);
  const resource = wildcard?.[1];
  if (resource !== undefined && resource !== 'all' && resource !== 'only') {
    const words = Object.hasOwn(RESOURCES, resource) ? RESOURCES[resource]!.words : `"${resource}"`;
    const tokens = TOKEN_RESOURCES.has(resource);
    return {
      scope,
      kind: 'resource',
      title: `Every action on ${words}`,
      summary: `Every action on ${words}: read, create, change and delete.${tokens ? ' That includes creating API tokens.' : ''}`,
      can: [`Every action on ${words}`],
      cannot: ['Anything on other resources'],
      thirdParty,
    };
  }
  const parsed = parseCall(scope);
  if (parsed) {
    const words = callWords(parsed);
    return {
      scope,
      kind: 'call',
      title: words,
      summary: `${words}; nothing else.`,
      can: [words],
      cannot: [],
      thirdParty,
    };
  }
  return {
    scope,
    kind: 'unknown',
    title: 'Unknown scope',
    summary: 'Keyline does not know this scope; the platform decides what it allows.',
    can: [],
    cannot: [],
    thirdParty,
  };
}

/** The narrower scopes that do a too-broad scope's harmless work. */
function narrowed(scope: string): string[] {
  if (isScopeGroup(scope)) {
    const bounded = `${scope}.bounded`;
    if (isScopeGroup(bounded)) return [bounded];
    const read = `${scope}.read`;
    return isScopeGroup(read) ? [read] : [];
  }
  const resource = WILDCARD.exec(scope)?.[1];
  return resource ? [`${resource}.get`] : [];
}

function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function broaderThanNeeded(scopes: readonly string[]): BroaderThanNeeded | undefined {
  const categories = new Set<SensitiveCategory>();
  const offending = scopes.filter((scope) => {
    const reached = SENSITIVE_CATEGORIES.filter((category) =>
      SENSITIVE[category].calls.some((call) => scopesAllow([scope], call)),
    );
    for (const category of reached) categories.add(category);
    return reached.length > 0;
  });
  if (offending.length === 0) return undefined;
  const suggested = [...new Set(scopes.flatMap((scope) => (offending.includes(scope) ? narrowed(scope) : [scope])))];
  const ordered = SENSITIVE_CATEGORIES.filter((category) => categories.has(category));
  const reason =
    `${joinWords(offending)} ${offending.length === 1 ? 'allows' : 'allow'} sensitive actions that no ` +
    `.bounded scope has: ${joinWords(ordered.map((category) => SENSITIVE[category].words))}. ` +
    'A provisioning station needs none of them (bounded scopes still create devices and access keys)' +
    (suggested.length > 0 ? `; ${joinWords(suggested)} would do.` : '.');
  return { scopes: offending, suggested, categories: ordered, reason };
}

/**
 * What a set of granted scopes can and cannot do, in plain words, and whether it is broader than
 * a provisioning station needs. Capabilities reached only through `all.Device` say "its own device".
 */
export function explainScopes(granted: readonly string[]): ScopeExplanation {
  const scopes = [...new Set(granted)].slice(0, MAX_SCOPES);
  const described = scopes.map(describeScope);
  const withoutDevice = scopes.filter((scope) => !isScopeGroup(scope) || SCOPE_GROUPS[scope].reach !== 'device');
  const can: string[] = [];
  const cannot: string[] = [];
  for (const capability of CAPABILITIES) {
    const allowed = capability.calls.filter((call) => scopesAllow(scopes, call));
    const denied = capability.calls.filter((call) => !allowed.includes(call));
    const deviceOnly = allowed.length > 0 && !allowed.some((call) => scopesAllow(withoutDevice, call));
    const words = deviceOnly ? `${capability.words}, for its own device only` : capability.words;
    if (denied.length === 0) can.push(words);
    else if (allowed.length === 0) cannot.push(words);
    else {
      can.push(`${words} (only ${allowed.join(', ')})`);
      cannot.push(`${capability.words} (not ${denied.join(', ')})`);
    }
  }
  const broaderThan = broaderThanNeeded(scopes);
  return {
    scopes: described,
    can,
    cannot,
    ...(broaderThan ? { broaderThan } : {}),
    unknown: described.filter((description) => description.kind === 'unknown').map((description) => description.scope),
  };
}
