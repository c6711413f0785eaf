import type { PlatformStore } from '../model/store';
import type { AccessKey, ApiToken, Application, Device, OauthToken, Org, User } from '../model/types';

/** The JSON shapes the platform answers with (losant-rest-js schemas). Never a secret. */

export function deviceView(device: Device) {
  return {
    id: device.id,
    deviceId: device.id,
    applicationId: device.applicationId,
    creationDate: device.creationDate,
    lastUpdated: device.lastUpdated,
    name: device.name,
    description: device.description,
    tags: device.tags.map((tag) => ({ ...tag })),
    attributes: device.attributes.map((attribute) => ({ ...attribute })),
    deviceClass: device.deviceClass,
    ...(device.gatewayId !== undefined ? { gatewayId: device.gatewayId } : {}),
    ...(device.parentId !== undefined ? { parentId: device.parentId } : {}),
    ...(device.systemInterval !== undefined ? { systemInterval: device.systemInterval } : {}),
    ...(device.keepDuplicates !== undefined ? { keepDuplicates: device.keepDuplicates } : {}),
    connectionInfo: connectionInfoView(device.connectionInfo),
  };
}

/** The official schema types `connectionInfo.time` as a date-time string: a device never seen has none. */
function connectionInfoView(info: Device['connectionInfo']) {
  return info.time === null ? { connected: info.connected } : { connected: info.connected, time: info.time };
}

export function keyView(key: AccessKey) {
  return {
    id: key.id,
    applicationKeyId: key.id,
    applicationId: key.applicationId,
    creationDate: key.creationDate,
    lastUpdated: key.lastUpdated,
    createdById: key.createdById,
    createdByType: key.createdByType,
    lastUpdatedById: key.lastUpdatedById,
    lastUpdatedByType: key.lastUpdatedByType,
    key: key.key,
    status: key.status,
    deviceIds: [...key.deviceIds],
    deviceTags: key.deviceTags.map((tag) => ({ ...tag })),
    ...(key.name !== undefined ? { name: key.name } : {}),
    ...(key.description !== undefined ? { description: key.description } : {}),
    ...(key.filterType !== undefined ? { filterType: key.filterType } : {}),
    ...(key.pubTopics !== undefined ? { pubTopics: [...key.pubTopics] } : {}),
    ...(key.subTopics !== undefined ? { subTopics: [...key.subTopics] } : {}),
    ...(key.addressFilterType !== undefined ? { addressFilterType: key.addressFilterType } : {}),
    ...(key.addresses !== undefined ? { addresses: [...key.addresses] } : {}),
  };
}

export function apiTokenView(token: ApiToken) {
  return {
    id: token.id,
    apiTokenId: token.id,
    ownerId: token.ownerId,
    ownerType: token.ownerType,
    creatorId: token.creatorId,
    creatorType: token.creatorType,
    creatorName: token.creatorName,
    name: token.name,
    description: token.description,
    creationDate: token.creationDate,
    lastUpdated: token.lastUpdated,
    ...(token.expirationDate ? { expirationDate: token.expirationDate } : {}),
    scope: [...token.scope],
    status: token.status,
    ...(token.ownerType === 'user'
      ? { defaultRole: token.defaultRole ?? 'admin', orgRoles: (token.orgRoles ?? []).map((entry) => ({ ...entry })) }
      : {}),
  };
}

export function oauthTokenView(token: OauthToken) {
  return {
    id: token.id,
    oauthTokenId: token.id,
    ownerId: token.userId,
    ownerType: 'user',
    name: token.name,
    description: token.description,
    creationDate: token.creationDate,
    lastUpdated: token.lastUpdated,
    ...(token.expirationDate ? { expirationDate: token.expirationDate } : {}),
    scope: [...token.scope],
    status: token.status,
    defaultRole: token.defaultRole,
    orgRoles: token.orgRoles.map((entry) => ({ ...entry })),
    oauth: {
      client_id: token.clientId,
      client_name: token.clientName,
      redirect_uri: token.redirectUri,
      authorizationStatus: token.authorizationStatus,
    },
  };
}

export function orgView(store: PlatformStore, org: Org) {
  return {
    id: org.id,
    orgId: org.id,
    name: org.name,
    description: org.description,
    creationDate: org.creationDate,
    lastUpdated: org.lastUpdated,
    members: org.members.map((member) => ({
      userId: member.userId,
      email: store.user(member.userId)?.email ?? '',
      role: member.role,
    })),
    applicationCount: store.state.applications.filter((application) => application.orgId === org.id).length,
  };
}

export function applicationView(store: PlatformStore, application: Application) {
  return {
    id: application.id,
    applicationId: application.id,
    ownerId: application.orgId,
    ownerType: 'organization',
    organizationName: store.org(application.orgId)?.name ?? '',
    name: application.name,
    description: application.description,
    creationDate: application.creationDate,
    lastUpdated: application.lastUpdated,
  };
}

export function meView(user: User) {
  return {
    id: user.id,
    userId: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    fullName: `${user.firstName} ${user.lastName}`.trim(),
    emailVerified: true,
    twoFactorAuthEnabled: false,
    creationDate: user.creationDate,
    lastUpdated: user.creationDate,
  };
}
