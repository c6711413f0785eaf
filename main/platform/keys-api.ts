import { checkId, checkInput } from './checks';
import { KeyCreate, KeyListQuery, KeyPatch } from './inputs';
import { paginate } from './paginate';
import {
  ApplicationKey,
  ApplicationKeys,
  CreatedApplicationKey,
  Success,
  type ApplicationKey as ApplicationKeyType,
  type CreatedApplicationKey as CreatedApplicationKeyType,
  type Page,
  type Success as SuccessType,
} from './schemas';
import type { CallOptions, CallResult, Transport } from './transport';

function keysPath(applicationId: string): string {
  return `/applications/${checkId(applicationId, 'application id')}/keys`;
}

function keyPath(applicationId: string, applicationKeyId: string): string {
  return `${keysPath(applicationId)}/${checkId(applicationKeyId, 'access key id')}`;
}

const KEY_ROUTE = '/applications/{applicationId}/keys/{applicationKeyId}';

/** `GET|POST /applications/{applicationId}/keys`, `GET|PATCH|DELETE .../keys/{applicationKeyId}`. */
export class KeysApi {
  constructor(private readonly transport: Transport) {}

  /**
   * Creates an access key. The secret is in this answer only: it is registered with the redactor
   * the moment it arrives; `release()` unregisters it once the station has let go of it. Never
   * retried: after `outcomeUnknown`, look the key up by its name first.
   */
  async create(
    applicationId: string,
    key: KeyCreate,
    options?: CallOptions,
  ): Promise<CallResult<CreatedApplicationKeyType>> {
    const path = keysPath(applicationId);
    const action = `create an access key in application ${applicationId}`;
    return this.transport.call(
      {
        method: 'POST',
        path,
        route: '/applications/{applicationId}/keys',
        body: checkInput(KeyCreate, key, action),
        auth: 'bearer',
        kind: 'create',
        action,
        credentialFields: ['secret'],
      },
      CreatedApplicationKey,
      options,
    );
  }

  /** One page of keys; filter with `filterField: 'name' | 'key' | 'status'` and a glob `filter`. */
  async list(
    applicationId: string,
    query: KeyListQuery = {},
    options?: CallOptions,
  ): Promise<Page<ApplicationKeyType>> {
    const path = keysPath(applicationId);
    const action = `list the access keys of application ${applicationId}`;
    const checked = checkInput(KeyListQuery, query, action);
    const result = await this.transport.call(
      {
        method: 'GET',
        path,
        route: '/applications/{applicationId}/keys',
        query: {
          sortField: checked.sortField,
          sortDirection: checked.sortDirection,
          page: checked.page,
          perPage: checked.perPage,
          filterField: checked.filterField,
          filter: checked.filter,
        },
        auth: 'bearer',
        kind: 'read',
        action,
      },
      ApplicationKeys,
      options,
    );
    return result.value;
  }

  /** Every matching key, across pages. */
  all(
    applicationId: string,
    query: KeyListQuery = {},
    options?: CallOptions,
  ): AsyncGenerator<ApplicationKeyType, void> {
    return paginate(
      (page, perPage) => this.list(applicationId, { ...query, page, perPage }, options),
      query.page ?? 0,
      query.perPage ?? 100,
    );
  }

  async get(applicationId: string, applicationKeyId: string, options?: CallOptions): Promise<ApplicationKeyType> {
    const result = await this.transport.call(
      {
        method: 'GET',
        path: keyPath(applicationId, applicationKeyId),
        route: KEY_ROUTE,
        auth: 'bearer',
        kind: 'read',
        action: `read access key ${applicationKeyId}`,
      },
      ApplicationKey,
      options,
    );
    return result.value;
  }

  /** Changes status (`inactive` revokes without deleting), name or description; deviceIds cannot change. */
  async patch(
    applicationId: string,
    applicationKeyId: string,
    patch: KeyPatch,
    options?: CallOptions,
  ): Promise<ApplicationKeyType> {
    const path = keyPath(applicationId, applicationKeyId);
    const action = `update access key ${applicationKeyId}`;
    const result = await this.transport.call(
      {
        method: 'PATCH',
        path,
        route: KEY_ROUTE,
        body: checkInput(KeyPatch, patch, action),
        auth: 'bearer',
        kind: 'idempotent',
        action,
      },
      ApplicationKey,
      options,
    );
    return result.value;
  }

  /** Deletes the key. A retry that finds it gone after a lost answer counts as done. */
  async delete(applicationId: string, applicationKeyId: string, options?: CallOptions): Promise<SuccessType> {
    const result = await this.transport.call(
      {
        method: 'DELETE',
        path: keyPath(applicationId, applicationKeyId),
        route: KEY_ROUTE,
        auth: 'bearer',
        kind: 'idempotent',
        goneIsDone: true,
        action: `delete access key ${applicationKeyId}`,
      },
      Success,
      options,
    );
    return result.value;
  }
}
