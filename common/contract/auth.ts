import { z } from 'zod';
import { defineEvent, defineMethod, noArgs } from './define';

/**
 * Technician sign-in: platform profiles, the OAuth session and what the token reaches. The window
 * sees session state only (who, until when, which scopes, which role cap), never a token.
 */

export const DEFAULT_API_URL = 'https://api.losant.com';
/** Least privilege: OAuth clients may only ask for group scopes, and this is the smallest set that provisions. */
export const DEFAULT_SCOPES = 'all.Application.bounded only.Organization.read only.User.read';
/** What the sign-in screen asks the technician to pick as "Maximum role" on the consent page. */
export const RECOMMENDED_ROLE_CAP = 'collaborate';

export const RoleCap = z.enum(['admin', 'edit', 'collaborate', 'view', 'none']);
export type RoleCap = z.infer<typeof RoleCap>;

const Id = z.string().min(1).max(100);
const PlatformId = z.string().regex(/^[A-Fa-f\d]{24}$/, 'a 24-hex platform id');
const ScopeList = z
  .string()
  .max(1000)
  .regex(/^[A-Za-z.*]+( [A-Za-z.*]+)*$/, 'space-separated scope names');

export const Account = z.strictObject({
  userId: z.string().max(100),
  email: z.string().max(320),
  name: z.string().max(300),
});
export type Account = z.infer<typeof Account>;

export const SelectedApplication = z.strictObject({
  id: PlatformId,
  name: z.string().max(300),
});
export type SelectedApplication = z.infer<typeof SelectedApplication>;

export const Profile = z.strictObject({
  id: Id,
  name: z.string().min(1).max(100),
  apiUrl: z.string().url().max(500),
  /** Configured OAuth client id; null means "register dynamically". */
  clientId: z.string().max(200).nullable(),
  /** The client id obtained by dynamic registration, kept so the station registers once per server. */
  registeredClientId: z.string().max(200).nullable(),
  scopes: ScopeList,
  /** The embedded sandbox profile: its URL is set at launch and it cannot be removed. */
  builtIn: z.boolean(),
  /** The last account signed in with this profile (not a secret: names the keychain entry). */
  account: Account.nullable(),
  selectedApplication: SelectedApplication.nullable(),
});
export type Profile = z.infer<typeof Profile>;

export const ProfileDraft = z.strictObject({
  /** Absent for a new profile. */
  id: Id.optional(),
  name: z.string().trim().min(1).max(100),
  apiUrl: z.string().trim().url().max(500),
  clientId: z.string().trim().max(200).optional(),
  scopes: ScopeList.optional(),
});
export type ProfileDraft = z.infer<typeof ProfileDraft>;

export const SignInMethod = z.enum(['browser', 'device']);
export type SignInMethod = z.infer<typeof SignInMethod>;

export const SessionProblem = z.strictObject({ code: z.string(), message: z.string().max(2000) });

export const SessionState = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('signedOut'),
    profileId: Id.nullable(),
    /** Why the station is signed out, when it was not the technician's choice (revoked, expired). */
    problem: SessionProblem.nullable(),
  }),
  z.strictObject({
    status: z.literal('signingIn'),
    profileId: Id,
    method: SignInMethod,
  }),
  z.strictObject({
    status: z.literal('signedIn'),
    profileId: Id,
    account: Account,
    /** When the access token in main memory expires; null until the first one is fetched. Renewal is automatic. */
    expiresAt: z.string().nullable(),
    scopes: z.array(z.string().max(100)).max(50),
    roleCap: RoleCap.nullable(),
    /** Where the refresh token lives: the OS keychain, or (keychain unavailable) this process only. */
    persistence: z.enum(['keychain', 'memory']),
    /** A plain-words warning (keychain unavailable, platform unreachable at launch). */
    warning: z.string().max(2000).nullable(),
  }),
]);
export type SessionState = z.infer<typeof SessionState>;

export const AccountSummary = z.strictObject({
  account: Account,
  organizations: z.array(
    z.strictObject({ id: PlatformId, name: z.string().max(300), role: z.string().max(40).nullable() }),
  ),
  applications: z.array(
    z.strictObject({
      id: PlatformId,
      name: z.string().max(300),
      organizationId: PlatformId.nullable(),
      organizationName: z.string().max(300).nullable(),
    }),
  ),
  selectedApplication: SelectedApplication.nullable(),
});
export type AccountSummary = z.infer<typeof AccountSummary>;

export const DeviceCodePrompt = z.strictObject({
  profileId: Id,
  userCode: z.string().max(100),
  verificationUri: z.string().max(2000),
  verificationUriComplete: z.string().max(2000).nullable(),
  expiresAt: z.string(),
});
export type DeviceCodePrompt = z.infer<typeof DeviceCodePrompt>;

export const authMethods = {
  'auth.profiles.list': defineMethod({
    summary: 'Platform profiles this station can sign into, and which one is active.',
    args: noArgs,
    result: z.strictObject({ profiles: z.array(Profile), activeProfileId: Id.nullable() }),
  }),
  'auth.profiles.save': defineMethod({
    summary: 'Create or change a platform profile (name, API URL, OAuth client id, scopes).',
    args: ProfileDraft,
    result: Profile,
  }),
  'auth.profiles.remove': defineMethod({
    summary: 'Remove a profile; signs out of it first (revoking its refresh token).',
    args: z.strictObject({ id: Id }),
    result: z.strictObject({ removed: z.boolean() }),
  }),
  'auth.session.get': defineMethod({
    summary: 'Who is signed in, until when, with which scopes and role cap.',
    args: noArgs,
    result: SessionState,
  }),
  'auth.signIn': defineMethod({
    summary: 'Sign in with the system browser (authorization code + PKCE) or a device code; resolves when done.',
    args: z.strictObject({ profileId: Id, method: SignInMethod }),
    result: SessionState,
  }),
  'auth.signIn.cancel': defineMethod({
    summary: 'Stop a sign-in that is waiting for the browser or the device code.',
    args: noArgs,
    result: z.strictObject({ cancelled: z.boolean() }),
  }),
  'auth.signOut': defineMethod({
    summary: 'Revoke the refresh token, delete it from the keychain and forget the access token.',
    args: noArgs,
    result: SessionState,
  }),
  'auth.account.get': defineMethod({
    summary: 'The signed-in user, the organizations and applications the token reaches.',
    args: noArgs,
    result: AccountSummary,
  }),
  'auth.selectApplication': defineMethod({
    summary: 'Choose the application to provision into; kept in the active profile.',
    args: z.strictObject({ applicationId: PlatformId }),
    result: SelectedApplication,
  }),
} as const;

export const authEvents = {
  'auth.session.changed': defineEvent({ summary: 'The sign-in state changed.', payload: SessionState }),
  'auth.openBrowser': defineEvent({
    summary: 'Web host only: open this vetted authorization URL in a new tab.',
    payload: z.strictObject({ url: z.string().url().max(4000) }),
  }),
  'auth.deviceCode': defineEvent({
    summary: 'Device sign-in: show this code and address to the technician.',
    payload: DeviceCodePrompt,
  }),
} as const;

const SCOPE_WORDS: Record<string, string> = {
  'all.Application': 'Read and change everything in the applications you can reach',
  'all.Application.read': 'Read the applications you can reach',
  'all.Application.bounded':
    'Read and change the applications you can reach (devices, access keys), but not manage API tokens or members',
  'all.Organization': 'Read and change your organizations and everything in them',
  'all.Organization.read': 'Read your organizations and everything in them',
  'all.Organization.bounded': 'Read and change your organizations and their contents, but not tokens or members',
  'only.Organization.read': 'See your organizations (names and members), nothing inside them',
  'only.Organization.bounded': 'See and change your organizations themselves, nothing inside them',
  'only.User.read': 'See your own user profile',
  'only.User': 'See and change your own user profile',
  'all.User': 'Read and change your profile and everything you own',
  'all.User.read': 'Read your profile and everything you own',
  'all.User.bounded': 'Read and change your profile and what you own, but not your credentials or tokens',
};

/** A scope in words a technician understands; unknown scopes are shown as they are. */
export function describeScope(scope: string): string {
  return SCOPE_WORDS[scope] ?? scope;
}

const ROLE_WORDS: Record<RoleCap, string> = {
  admin: 'Administrator',
  edit: 'Editor',
  collaborate: 'Collaborator',
  view: 'Viewer',
  none: 'No access',
};

export function describeRoleCap(role: RoleCap): string {
  return ROLE_WORDS[role];
}
