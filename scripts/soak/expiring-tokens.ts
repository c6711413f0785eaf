import type { TokenSource } from '../../main/platform';
import { control } from './processes';

/**
 * The station's session, made to expire for real: short-lived application API tokens minted on the
 * platform (8 to 40 s), renewed when the platform answers 401, single-flight across lanes, as the
 * OAuth session renews an access token. Every token minted is kept for the secret scan.
 */
export interface ExpiringTokens extends TokenSource {
  readonly minted: string[];
  readonly renewals: number;
}

export function expiringTokens(options: {
  platformUrl: string;
  applicationId: string;
  adminToken: string;
  random: () => number;
}): ExpiringTokens {
  let current: Promise<string> | undefined;
  let renewals = 0;
  const minted: string[] = [];
  const mint = async (): Promise<string> => {
    const ttlSeconds = 8 + Math.floor(options.random() * 32);
    const created = await control<{ token: string }>(
      `${options.platformUrl}/applications/${options.applicationId}/tokens`,
      'POST',
      {
        name: `soak session ${minted.length + 1}`,
        scope: ['all.Application'],
        expirationDate: new Date(Date.now() + ttlSeconds * 1000).toISOString(),
      },
      options.adminToken,
    );
    minted.push(created.token);
    return created.token;
  };
  // A mint that failed is not kept: the next call tries again.
  const fresh = (): Promise<string> => {
    const attempt = mint();
    attempt.catch(() => {
      if (current === attempt) current = undefined;
    });
    return attempt;
  };
  return {
    minted,
    get renewals() {
      return renewals;
    },
    getAccessToken() {
      current ??= fresh();
      return current;
    },
    async refreshAfterUnauthorized(rejected) {
      const now = await current?.catch(() => undefined);
      if (now === undefined || now === rejected) {
        renewals++;
        current = fresh();
      }
      return current!;
    },
  };
}
