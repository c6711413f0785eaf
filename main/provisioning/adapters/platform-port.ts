import type { PlatformClient } from '../../platform';
import type { Device as ClientDevice, ApplicationKey, DeviceCreate } from '../../platform';
import type { MintedKey, PlatformDevice, PlatformKey, PlatformPort } from '../ports';

function device(value: ClientDevice): PlatformDevice {
  return {
    id: value.id,
    name: value.name,
    deviceClass: value.deviceClass,
    tags: value.tags.map((tag) => ({ key: tag.key, value: tag.value })),
    attributes: value.attributes.map((attribute) => ({ name: attribute.name, dataType: attribute.dataType })),
  };
}

function key(value: ApplicationKey): PlatformKey {
  return {
    id: value.id,
    key: value.key,
    status: value.status,
    ...(value.name !== undefined ? { name: value.name } : {}),
    ...(value.deviceIds ? { deviceIds: value.deviceIds } : {}),
    ...(value.deviceTags
      ? { deviceTags: value.deviceTags.map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' })) }
      : {}),
  };
}

type Attributes = NonNullable<DeviceCreate['attributes']>;

/**
 * The pipeline's platform port over the shared REST client (main/platform/): retries of reads and
 * idempotent calls, token refresh after a 401 and typed errors all live there.
 */
export function platformPort(client: PlatformClient): PlatformPort {
  return {
    apiUrl: client.apiUrl,
    async findDevicesByTag(appId, tag, signal) {
      const page = await client.devices.list(appId, { tagFilter: [tag], perPage: 100 }, { signal });
      // The filter is the platform's; check the answer too (untrusted input).
      return page.items.filter((d) => d.tags.some((t) => t.key === tag.key && t.value === tag.value)).map(device);
    },
    async createDevice(appId, body, signal) {
      return device(
        await client.devices.create(
          appId,
          { ...body, attributes: body.attributes as Attributes, deviceClass: 'standalone' },
          { signal },
        ),
      );
    },
    async getDevice(appId, deviceId, signal) {
      return device(await client.devices.get(appId, deviceId, { signal }));
    },
    async setDeviceAttributes(appId, deviceId, attributes, signal) {
      return device(await client.devices.patch(appId, deviceId, { attributes: attributes as Attributes }, { signal }));
    },
    async createKey(appId, body, signal): Promise<MintedKey> {
      const result = await client.keys.create(appId, body, { signal });
      return { ...key(result.value), secret: result.value.secret, release: result.release };
    },
    async findKeysByName(appId, name, signal) {
      const page = await client.keys.list(appId, { filterField: 'name', filter: name, perPage: 100 }, { signal });
      return page.items.filter((k) => k.name === name).map(key);
    },
    async findKeysByAccessKey(appId, accessKey, signal) {
      const page = await client.keys.list(appId, { filterField: 'key', filter: accessKey, perPage: 100 }, { signal });
      return page.items.filter((k) => k.key === accessKey).map(key);
    },
    async getKey(appId, keyId, signal) {
      return key(await client.keys.get(appId, keyId, { signal }));
    },
    async setKeyStatus(appId, keyId, status, signal) {
      await client.keys.patch(appId, keyId, { status }, { signal });
    },
    async deleteKey(appId, keyId, signal) {
      await client.keys.delete(appId, keyId, { signal });
    },
    async compositeState(appId, deviceId, signal) {
      return await client.devices.compositeState(appId, deviceId, { signal });
    },
    async authenticateDevice(credentials, signal) {
      const result = await client.authenticateDevice(credentials, { signal });
      // The device token proves the key works; the station has no use for it.
      result.release();
      return { deviceId: result.value.deviceId };
    },
  };
}
