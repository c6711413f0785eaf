import { createHash } from 'node:crypto';
import { seededObjectId } from '../model/ids';
import { emptyState, type AccessKey, type ActorType, type ApiToken, type PlatformState } from '../model/types';
import type { SecretHasher } from '../security/server-keys';
import type { SeedSpec } from './spec';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Stable ids for a seed's objects. */
export function seedIds(spec: SeedSpec) {
  const id = (kind: string, key: string) => seededObjectId(spec.name, `${kind}:${key}`);
  return {
    user: (key: string) => id('user', key),
    org: (key: string) => id('org', key),
    application: (key: string) => id('application', key),
    device: (key: string) => id('device', key),
    accessKey: (key: string) => id('accessKey', key),
    apiToken: (key: string) => id('apiToken', key),
  };
}

/**
 * The secret of a seeded access key: derived from the server key rather than stored, so `/__sim/seed`
 * can show it after a restart while the state file still holds only its HMAC.
 */
export function seededSecret(hasher: SecretHasher, keyId: string): string {
  return Buffer.from(hasher.hash('seed-secret', keyId), 'base64url').toString('hex');
}

function seededKeyString(spec: SeedSpec, key: string): string {
  const hex = createHash('sha256').update(`${spec.name}\0key-string:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function lookup<T extends { key: string }>(items: T[], key: string, what: string): T {
  const found = items.find((item) => item.key === key);
  if (!found) throw new Error(`seed refers to unknown ${what} "${key}"`);
  return found;
}

/** Builds the platform state a seed describes, as of `nowMs`. */
export function applySeed(spec: SeedSpec, hasher: SecretHasher, nowMs: number): PlatformState {
  const ids = seedIds(spec);
  const state = emptyState();
  const at = (daysAgo: number) => new Date(nowMs - daysAgo * DAY_MS).toISOString();
  const created = at(90);

  for (const user of spec.users) {
    state.users.push({
      id: ids.user(user.key),
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      passwordHmac: hasher.hash('password', user.password),
      ...(user.demoLabel ? { demoLabel: user.demoLabel } : {}),
      creationDate: created,
    });
  }
  for (const org of spec.orgs) {
    state.orgs.push({
      id: ids.org(org.key),
      name: org.name,
      description: org.description,
      members: org.members.map((member) => {
        lookup(spec.users, member.user, 'user');
        return { userId: ids.user(member.user), role: member.role };
      }),
      creationDate: created,
      lastUpdated: created,
    });
  }
  for (const application of spec.applications) {
    lookup(spec.orgs, application.org, 'organization');
    state.applications.push({
      id: ids.application(application.key),
      orgId: ids.org(application.org),
      name: application.name,
      description: application.description,
      creationDate: created,
      lastUpdated: created,
    });
  }
  for (const device of spec.devices) {
    lookup(spec.applications, device.application, 'application');
    state.devices.push({
      id: ids.device(device.key),
      applicationId: ids.application(device.application),
      name: device.name,
      description: device.description,
      deviceClass: device.deviceClass,
      tags: device.tags.map((tag) => ({ ...tag })),
      attributes: device.attributes.map((attribute) => ({ ...attribute })),
      connectionInfo: { connected: 0, time: null },
      creationDate: at(30),
      lastUpdated: at(30),
    });
  }
  const creator = (key: string | undefined): { id: string; type: ActorType } =>
    key ? { id: ids.user(lookup(spec.users, key, 'user').key), type: 'user' } : { id: '0'.repeat(24), type: 'flow' };
  for (const entry of spec.accessKeys) {
    lookup(spec.applications, entry.application, 'application');
    const id = ids.accessKey(entry.key);
    const by = creator(entry.createdBy);
    const key: AccessKey = {
      id,
      applicationId: ids.application(entry.application),
      key: seededKeyString(spec, entry.key),
      secretHmac: hasher.hash('access-key-secret', seededSecret(hasher, id)),
      status: entry.status,
      ...(entry.name !== undefined ? { name: entry.name } : {}),
      ...(entry.description !== undefined ? { description: entry.description } : {}),
      deviceIds: entry.devices.map((device) => ids.device(lookup(spec.devices, device, 'device').key)),
      deviceTags: entry.deviceTags.map((tag) => ({ ...tag })),
      creationDate: at(20),
      lastUpdated: at(20),
      createdById: by.id,
      createdByType: by.type,
      lastUpdatedById: by.id,
      lastUpdatedByType: by.type,
      ...(entry.deleted ? { deletedAt: at(5) } : {}),
    };
    state.keys.push(key);
  }
  for (const entry of spec.apiTokens) {
    if (!!entry.application === !!entry.user)
      throw new Error(`seed API token "${entry.key}" needs application or user`);
    const by = creator(entry.createdBy);
    const creatorUser = entry.createdBy ? lookup(spec.users, entry.createdBy, 'user') : undefined;
    const token: ApiToken = {
      id: ids.apiToken(entry.key),
      ownerId: entry.application
        ? ids.application(lookup(spec.applications, entry.application, 'application').key)
        : ids.user(lookup(spec.users, entry.user as string, 'user').key),
      ownerType: entry.application ? 'application' : 'user',
      creatorId: by.id,
      creatorType: by.type,
      creatorName: creatorUser ? `${creatorUser.firstName} ${creatorUser.lastName}` : 'seed',
      name: entry.name,
      description: entry.description,
      creationDate: at(entry.createdDaysAgo),
      lastUpdated: at(entry.createdDaysAgo),
      ...(entry.expiresInDays !== undefined
        ? { expirationDate: new Date(nowMs + entry.expiresInDays * DAY_MS).toISOString() }
        : {}),
      scope: [...entry.scope],
      status: entry.status,
      ...(entry.user
        ? {
            defaultRole: entry.defaultRole ?? 'admin',
            orgRoles: entry.orgRoles.map((override) => ({ orgId: ids.org(override.org), role: override.role })),
          }
        : {}),
    };
    state.apiTokens.push(token);
  }
  return state;
}
