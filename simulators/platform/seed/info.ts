import type { SimContext } from '../context';
import type { DeviceClass, Role, Tag } from '../model/types';
import { signApiToken } from '../routes/api-tokens';
import { seededSecret, seedIds } from './apply';
import type { SeedSpec } from './spec';

export interface SeedUser {
  id: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  /** Role in the reported organization (`orgId`). */
  role: Role;
}

export interface SeedDevice {
  id: string;
  name: string;
  deviceClass: DeviceClass;
  applicationId: string;
  tags: Tag[];
}

export interface SeedAccessKey {
  id: string;
  applicationId: string;
  key: string;
  /** Seeded keys only: a sandbox convenience, the REST API never shows a secret after creation. */
  secret: string;
  status: 'active' | 'inactive';
  deleted: boolean;
  name?: string;
  deviceIds: string[];
  deviceTags: { key: string; value?: string }[];
}

export interface SeedApiToken {
  id: string;
  name: string;
  ownerType: 'application' | 'user';
  ownerId: string;
  scope: string[];
  status: 'active' | 'inactive';
  expirationDate?: string;
  token: string;
}

/** `GET /__sim/seed`: the seeded ids and credentials tests and the sandbox start from. */
export interface SeedInfo {
  baseUrl: string;
  orgId: string;
  orgName: string;
  applicationId: string;
  applicationName: string;
  /** An all-permissions (`all.Application`) application API token for `applicationId`. */
  apiToken: string;
  apiTokenId: string;
  technician: SeedUser;
  support: SeedUser;
  admin?: SeedUser;
  users: SeedUser[];
  oauthClientId: string;
  oauthRedirectUris: string[];
  oauthScopes: string[];
  devices: SeedDevice[];
  accessKeys: SeedAccessKey[];
  /** Every seeded API token with its bearer string (application and user tokens, expired ones too). */
  apiTokens: SeedApiToken[];
  expiredApiTokenId?: string;
  inactiveAccessKeyId?: string;
  orgs: { id: string; name: string }[];
  applications: { id: string; name: string; orgId: string }[];
}

export async function seedInfo(ctx: SimContext, spec: SeedSpec, oauthScopes: string[]): Promise<SeedInfo> {
  const ids = seedIds(spec);
  const { store } = ctx;
  const orgId = ids.org(spec.report.org);
  const org = store.org(orgId);
  const applicationId = ids.application(spec.report.application);
  const application = store.application(applicationId);
  if (!org || !application) throw new Error('the seeded organization or application is gone; reset the simulator');
  const apiTokenId = ids.apiToken(spec.report.apiToken);
  const apiToken = store.apiToken(apiTokenId);

  const users = spec.users.map((entry): SeedUser => {
    const id = ids.user(entry.key);
    return {
      id,
      email: entry.email,
      password: entry.password,
      firstName: entry.firstName,
      lastName: entry.lastName,
      role: org.members.find((member) => member.userId === id)?.role ?? 'none',
    };
  });
  const userByKey = (key: string) => users[spec.users.findIndex((entry) => entry.key === key)] as SeedUser;
  const client =
    spec.oauthClients.find((entry) => entry.clientId === spec.report.oauthClientId) ?? spec.oauthClients[0];

  return {
    baseUrl: ctx.issuer,
    orgId,
    orgName: org.name,
    applicationId,
    applicationName: application.name,
    apiToken: apiToken ? await signApiToken(ctx, apiToken) : '',
    apiTokenId,
    technician: userByKey(spec.report.technician),
    support: userByKey(spec.report.support),
    ...(spec.report.admin ? { admin: userByKey(spec.report.admin) } : {}),
    users,
    oauthClientId: client?.clientId ?? '',
    oauthRedirectUris: client ? [...client.redirectUris] : [],
    oauthScopes: [...oauthScopes],
    devices: spec.devices.flatMap((entry) => {
      const device = store.device(ids.device(entry.key));
      return device
        ? [
            {
              id: device.id,
              name: device.name,
              deviceClass: device.deviceClass,
              applicationId: device.applicationId,
              tags: device.tags.map((tag) => ({ ...tag })),
            },
          ]
        : [];
    }),
    accessKeys: spec.accessKeys.flatMap((entry) => {
      const key = store.keyById(ids.accessKey(entry.key));
      if (!key) return [];
      return [
        {
          id: key.id,
          applicationId: key.applicationId,
          key: key.key,
          secret: seededSecret(ctx.hasher, key.id),
          status: key.status,
          deleted: !!key.deletedAt,
          ...(key.name !== undefined ? { name: key.name } : {}),
          deviceIds: [...key.deviceIds],
          deviceTags: key.deviceTags.map((tag) => ({ ...tag })),
        },
      ];
    }),
    apiTokens: (
      await Promise.all(
        spec.apiTokens.map(async (entry): Promise<SeedApiToken[]> => {
          const token = store.apiToken(ids.apiToken(entry.key));
          if (!token) return [];
          return [
            {
              id: token.id,
              name: token.name,
              ownerType: token.ownerType,
              ownerId: token.ownerId,
              scope: [...token.scope],
              status: token.status,
              ...(token.expirationDate ? { expirationDate: token.expirationDate } : {}),
              token: await signApiToken(ctx, token),
            },
          ];
        }),
      )
    ).flat(),
    ...(spec.report.expiredApiToken ? { expiredApiTokenId: ids.apiToken(spec.report.expiredApiToken) } : {}),
    ...(spec.report.inactiveAccessKey ? { inactiveAccessKeyId: ids.accessKey(spec.report.inactiveAccessKey) } : {}),
    orgs: store.state.orgs.map((entry) => ({ id: entry.id, name: entry.name })),
    applications: store.state.applications.map((entry) => ({ id: entry.id, name: entry.name, orgId: entry.orgId })),
  };
}
