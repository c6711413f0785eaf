import { checkId, checkInput } from './checks';
import { DeviceCreate, DeviceListQuery, DevicePatch, DeviceState } from './inputs';
import { paginate } from './paginate';
import type { QueryValue } from './query';
import {
  CompositeState,
  Device,
  DeviceLog,
  Devices,
  Success,
  type CompositeState as CompositeStateType,
  type Device as DeviceType,
  type DeviceLogEntry,
  type Page,
  type Success as SuccessType,
} from './schemas';
import type { CallOptions, Transport } from './transport';

/** Checks both ids (before any message names them) and builds the device's path. */
function devicePath(applicationId: string, deviceId: string): string {
  return `/applications/${checkId(applicationId, 'application id')}/devices/${checkId(deviceId, 'device id')}`;
}

function devicesPath(applicationId: string): string {
  return `/applications/${checkId(applicationId, 'application id')}/devices`;
}

/** `GET|POST|PATCH|DELETE /applications/{applicationId}/devices[/{deviceId}[/state|compositeState|logs]]`. */
export class DevicesApi {
  constructor(private readonly transport: Transport) {}

  /** One page of devices (`page` from 0, `perPage` up to 1000, default 100). */
  async list(applicationId: string, query: DeviceListQuery = {}, options?: CallOptions): Promise<Page<DeviceType>> {
    const path = devicesPath(applicationId);
    const action = `list the devices of application ${applicationId}`;
    const checked = checkInput(DeviceListQuery, query, action);
    const params: Record<string, QueryValue> = {
      sortField: checked.sortField,
      sortDirection: checked.sortDirection,
      page: checked.page,
      perPage: checked.perPage,
      filterField: checked.filterField,
      filter: checked.filter,
      deviceClass: checked.deviceClass,
      tagFilter: checked.tagFilter,
      query: checked.query === undefined ? undefined : JSON.stringify(checked.query),
    };
    const result = await this.transport.call(
      {
        method: 'GET',
        path,
        route: '/applications/{applicationId}/devices',
        query: params,
        auth: 'bearer',
        kind: 'read',
        action,
      },
      Devices,
      options,
    );
    return result.value;
  }

  /** Every matching device, across pages, fetched as the loop consumes them. */
  all(applicationId: string, query: DeviceListQuery = {}, options?: CallOptions): AsyncGenerator<DeviceType, void> {
    return paginate(
      (page, perPage) => this.list(applicationId, { ...query, page, perPage }, options),
      query.page ?? 0,
      query.perPage ?? 100,
    );
  }

  /** Creates a device. Never retried: after `outcomeUnknown`, look it up (by its hwid tag) first. */
  async create(applicationId: string, device: DeviceCreate, options?: CallOptions): Promise<DeviceType> {
    const path = devicesPath(applicationId);
    const action = `create a device in application ${applicationId}`;
    const result = await this.transport.call(
      {
        method: 'POST',
        path,
        route: '/applications/{applicationId}/devices',
        body: checkInput(DeviceCreate, device, action),
        auth: 'bearer',
        kind: 'create',
        action,
      },
      Device,
      options,
    );
    return result.value;
  }

  async get(applicationId: string, deviceId: string, options?: CallOptions): Promise<DeviceType> {
    const result = await this.transport.call(
      {
        method: 'GET',
        path: devicePath(applicationId, deviceId),
        route: '/applications/{applicationId}/devices/{deviceId}',
        auth: 'bearer',
        kind: 'read',
        action: `read device ${deviceId}`,
      },
      Device,
      options,
    );
    return result.value;
  }

  async patch(applicationId: string, deviceId: string, patch: DevicePatch, options?: CallOptions): Promise<DeviceType> {
    const path = devicePath(applicationId, deviceId);
    const action = `update device ${deviceId}`;
    const result = await this.transport.call(
      {
        method: 'PATCH',
        path,
        route: '/applications/{applicationId}/devices/{deviceId}',
        body: checkInput(DevicePatch, patch, action),
        auth: 'bearer',
        kind: 'idempotent',
        action,
      },
      Device,
      options,
    );
    return result.value;
  }

  async delete(applicationId: string, deviceId: string, options?: CallOptions): Promise<SuccessType> {
    const result = await this.transport.call(
      {
        method: 'DELETE',
        path: devicePath(applicationId, deviceId),
        route: '/applications/{applicationId}/devices/{deviceId}',
        auth: 'bearer',
        kind: 'idempotent',
        goneIsDone: true,
        action: `delete device ${deviceId}`,
      },
      Success,
      options,
    );
    return result.value;
  }

  /**
   * Reports state as the device would (the station's own verification mode uses this with the
   * device token from `authenticateDevice`). Never retried: a second report is a second report.
   */
  async sendState(
    applicationId: string,
    deviceId: string,
    state: DeviceState,
    options?: CallOptions,
  ): Promise<SuccessType> {
    const path = `${devicePath(applicationId, deviceId)}/state`;
    const action = `send state for device ${deviceId}`;
    const result = await this.transport.call(
      {
        method: 'POST',
        path,
        route: '/applications/{applicationId}/devices/{deviceId}/state',
        body: checkInput(DeviceState, state, action),
        auth: 'bearer',
        kind: 'create',
        action,
      },
      Success,
      options,
    );
    return result.value;
  }

  /** The last value and time of each attribute. */
  async compositeState(applicationId: string, deviceId: string, options?: CallOptions): Promise<CompositeStateType> {
    const result = await this.transport.call(
      {
        method: 'GET',
        path: `${devicePath(applicationId, deviceId)}/compositeState`,
        route: '/applications/{applicationId}/devices/{deviceId}/compositeState',
        auth: 'bearer',
        kind: 'read',
        action: `read the state of device ${deviceId}`,
      },
      CompositeState,
      options,
    );
    return result.value;
  }

  /** Recent connection attempts of the device (connects, disconnects and their reasons). */
  async logs(applicationId: string, deviceId: string, options?: CallOptions): Promise<DeviceLogEntry[]> {
    const result = await this.transport.call(
      {
        method: 'GET',
        path: `${devicePath(applicationId, deviceId)}/logs`,
        route: '/applications/{applicationId}/devices/{deviceId}/logs',
        auth: 'bearer',
        kind: 'read',
        action: `read the connection log of device ${deviceId}`,
      },
      DeviceLog,
      options,
    );
    return result.value;
  }
}
