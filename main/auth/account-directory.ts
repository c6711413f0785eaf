import { z } from 'zod';
import { AuthError } from './auth-error';
import type { FetchLike } from './discovery';
import { serverName } from './server-url';
import type { AccessTokenProvider } from './session';

/**
 * The three platform calls the sign-in screen needs. A small interface on purpose: the shared
 * platform client (`main/platform/`) can implement it and replace `createAccountDirectory`.
 */
export interface AccountDirectory {
  me(signal?: AbortSignal): Promise<PlatformUser>;
  organizations(signal?: AbortSignal): Promise<PlatformOrganization[]>;
  /** `organizationId` null: the applications the user owns directly. */
  applications(organizationId: string | null, signal?: AbortSignal): Promise<PlatformApplication[]>;
}

const Id = z.string().regex(/^[A-Fa-f\d]{24}$/);

export const PlatformUser = z.object({
  id: Id,
  email: z.string().max(320),
  firstName: z.string().max(200).optional(),
  lastName: z.string().max(200).optional(),
  fullName: z.string().max(300).optional(),
});
export type PlatformUser = z.infer<typeof PlatformUser>;

export const PlatformOrganization = z.object({
  id: Id,
  name: z.string().max(300),
  members: z.array(z.object({ userId: z.string(), role: z.string().max(40) })).optional(),
});
export type PlatformOrganization = z.infer<typeof PlatformOrganization>;

export const PlatformApplication = z.object({
  id: Id,
  name: z.string().max(300),
  ownerId: z.string().optional(),
  ownerType: z.string().optional(),
});
export type PlatformApplication = z.infer<typeof PlatformApplication>;

const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), count: z.number().optional(), totalCount: z.number().optional() });

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const PER_PAGE = 100;
const MAX_PAGES = 20;
const REQUEST_TIMEOUT_MS = 20_000;

export interface AccountDirectoryOptions {
  apiUrl: string;
  tokens: AccessTokenProvider;
  fetch?: FetchLike;
}

/** `GET /me`, `/orgs`, `/applications` with the platform's headers, a 401 renewal and checked answers. */
export function createAccountDirectory(options: AccountDirectoryOptions): AccountDirectory {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.apiUrl.replace(/\/+$/, '');
  const server = serverName(base);

  async function call(path: string, signal: AbortSignal | undefined): Promise<unknown> {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let token = await options.tokens.getAccessToken(combined);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetchImpl(`${base}${path}`, {
          headers: {
            Accept: 'application/json',
            'Accept-Version': '^1.30.0',
            Authorization: `Bearer ${token}`,
          },
          redirect: 'manual',
          signal: combined,
        });
      } catch (error) {
        if (signal?.aborted) throw new AuthError('AUTH_CANCELLED', `Stopped asking ${server} for ${pathName(path)}`);
        throw new AuthError('AUTH_NETWORK', `Could not reach ${server} for ${pathName(path)}; check the network`, {
          cause: error instanceof Error ? { name: error.name } : undefined,
        });
      }
      if (response.status === 401 && attempt === 0) {
        await response.body?.cancel();
        token = await options.tokens.refreshAfter401(token, combined);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new AuthError(
          'AUTH_FORBIDDEN',
          `${server} refused ${pathName(path)} (HTTP ${response.status}); the sign-in may lack a scope or a role`,
        );
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        throw new AuthError(
          'AUTH_NETWORK',
          `${server} failed on ${pathName(path)} (HTTP ${response.status}); retry later`,
        );
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new AuthError('AUTH_BAD_RESPONSE', `${server} answered HTTP ${response.status} for ${pathName(path)}`);
      }
      const length = Number(response.headers.get('content-length') ?? 0);
      const text = length > MAX_BODY_BYTES ? '' : await response.text();
      if (length > MAX_BODY_BYTES || text.length > MAX_BODY_BYTES) {
        throw new AuthError('AUTH_BAD_RESPONSE', `${server} sent too large an answer for ${pathName(path)}`);
      }
      try {
        return JSON.parse(text);
      } catch {
        throw new AuthError('AUTH_BAD_RESPONSE', `${server} sent something other than JSON for ${pathName(path)}`);
      }
    }
  }

  function check<T extends z.ZodType>(schema: T, value: unknown, path: string): z.output<T> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new AuthError('AUTH_BAD_RESPONSE', `${server} answered ${pathName(path)} in an unexpected shape`);
    }
    return parsed.data;
  }

  async function pages<T extends z.ZodType>(path: string, item: T, signal?: AbortSignal): Promise<z.output<T>[]> {
    const items: z.output<T>[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const separator = path.includes('?') ? '&' : '?';
      const pagePath = `${path}${separator}page=${page}&perPage=${PER_PAGE}`;
      const answer = check(Page(item), await call(pagePath, signal), path);
      items.push(...(answer.items as z.output<T>[]));
      const total = answer.totalCount ?? answer.count ?? items.length;
      if (answer.items.length === 0 || items.length >= total) break;
    }
    return items;
  }

  return {
    async me(signal) {
      return check(PlatformUser, await call('/me', signal), '/me');
    },
    organizations(signal) {
      return pages('/orgs', PlatformOrganization, signal);
    },
    applications(organizationId, signal) {
      const path = organizationId ? `/applications?orgId=${encodeURIComponent(organizationId)}` : '/applications';
      return pages(path, PlatformApplication, signal);
    },
  };
}

/** The path without its query, for messages. */
function pathName(path: string): string {
  return `GET ${path.split('?')[0]}`;
}
