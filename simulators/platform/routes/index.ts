import { Router } from '../http/router';
import { getApplication, getMe, getOrg, listApplications, listOrgs } from './account';
import {
  createApplicationToken,
  createUserToken,
  deleteApplicationToken,
  deleteUserToken,
  getApplicationToken,
  getUserToken,
  listApplicationTokens,
  listUserTokens,
  patchApplicationToken,
  patchUserToken,
} from './api-tokens';
import { authenticateDevice } from './auth-device';
import {
  createDevice,
  deleteDevice,
  getCompositeState,
  getDevice,
  getLogEntries,
  listDevices,
  patchDevice,
  sendState,
} from './devices';
import { createKey, deleteKey, getKey, listKeys, patchKey } from './keys';
import { deleteOauthToken, getOauthToken, listOauthTokens, patchOauthToken } from './oauth-tokens';
import type { RestHandler } from './types';

/** Every REST endpoint of platform-api.md. */
export function restRouter(): Router<RestHandler> {
  const app = '/applications/:applicationId';
  const device = `${app}/devices/:deviceId`;
  return new Router<RestHandler>()
    .add('POST', '/auth/device', authenticateDevice)
    .add('GET', '/me', getMe)
    .add('GET', '/me/tokens', listUserTokens)
    .add('POST', '/me/tokens', createUserToken)
    .add('GET', '/me/tokens/:apiTokenId', getUserToken)
    .add('PATCH', '/me/tokens/:apiTokenId', patchUserToken)
    .add('DELETE', '/me/tokens/:apiTokenId', deleteUserToken)
    .add('GET', '/me/oauth-tokens', listOauthTokens)
    .add('GET', '/me/oauth-tokens/:oauthTokenId', getOauthToken)
    .add('PATCH', '/me/oauth-tokens/:oauthTokenId', patchOauthToken)
    .add('DELETE', '/me/oauth-tokens/:oauthTokenId', deleteOauthToken)
    .add('GET', '/orgs', listOrgs)
    .add('GET', '/orgs/:orgId', getOrg)
    .add('GET', '/applications', listApplications)
    .add('GET', app, getApplication)
    .add('GET', `${app}/devices`, listDevices)
    .add('POST', `${app}/devices`, createDevice)
    .add('GET', device, getDevice)
    .add('PATCH', device, patchDevice)
    .add('DELETE', device, deleteDevice)
    .add('POST', `${device}/state`, sendState)
    .add('GET', `${device}/compositeState`, getCompositeState)
    .add('GET', `${device}/logs`, getLogEntries)
    .add('GET', `${app}/keys`, listKeys)
    .add('POST', `${app}/keys`, createKey)
    .add('GET', `${app}/keys/:applicationKeyId`, getKey)
    .add('PATCH', `${app}/keys/:applicationKeyId`, patchKey)
    .add('DELETE', `${app}/keys/:applicationKeyId`, deleteKey)
    .add('GET', `${app}/tokens`, listApplicationTokens)
    .add('POST', `${app}/tokens`, createApplicationToken)
    .add('GET', `${app}/tokens/:apiTokenId`, getApplicationToken)
    .add('PATCH', `${app}/tokens/:apiTokenId`, patchApplicationToken)
    .add('DELETE', `${app}/tokens/:apiTokenId`, deleteApplicationToken);
}
