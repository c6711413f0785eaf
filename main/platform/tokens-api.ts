import type { z } from 'zod';
import { checkId, checkInput } from './checks';
import { ApiTokenCreate, ApiTokenPatch, TokenListQuery, UserApiTokenCreate, UserTokenPatch } from './inputs';
import { paginate } from './paginate';
import {
  ApiToken,
  ApiTokens,
  CreatedApiToken,
  CreatedUserApiToken,
  OAuthToken,
  OAuthTokens,
  Success,
  UserApiToken,
  UserApiTokens,
  type Page,
  type Success as SuccessType,
} from './schemas';
import type { CallOptions, CallResult, Transport } from './transport';

interface CollectionShape<Item, Created, CreateInput, PatchInput> {
  /** Words for messages: "application API token", "user API token", "OAuth token". */
  noun: string;
  route: string;
  item: z.ZodType<Item>;
  page: z.ZodType<Page<Item>>;
  created: z.ZodType<Created> | undefined;
  createInput: z.ZodType<CreateInput> | undefined;
  patchInput: z.ZodType<PatchInput>;
}

/**
 * One collection of bearer tokens: application API tokens, the user's API tokens or the user's
 * OAuth tokens. Listing never shows a token string; creating shows it once (registered with the
 * redactor at once, like an access key's secret).
 */
export class TokenCollection<Item, Created, CreateInput, PatchInput> {
  constructor(
    private readonly transport: Transport,
    private readonly basePath: () => string,
    private readonly shape: CollectionShape<Item, Created, CreateInput, PatchInput>,
  ) {}

  #itemPath(id: string): string {
    return `${this.basePath()}/${checkId(id, `${this.shape.noun} id`)}`;
  }

  async list(query: z.input<typeof TokenListQuery> = {}, options?: CallOptions): Promise<Page<Item>> {
    const path = this.basePath();
    const action = `list ${this.shape.noun}s`;
    const checked = checkInput(TokenListQuery, query, action);
    const result = await this.transport.call(
      { method: 'GET', path, route: this.shape.route, query: { ...checked }, auth: 'bearer', kind: 'read', action },
      this.shape.page,
      options,
    );
    return result.value;
  }

  all(query: z.input<typeof TokenListQuery> = {}, options?: CallOptions): AsyncGenerator<Item, void> {
    return paginate(
      (page, perPage) => this.list({ ...query, page, perPage }, options),
      query.page ?? 0,
      query.perPage ?? 100,
    );
  }

  async get(id: string, options?: CallOptions): Promise<Item> {
    const result = await this.transport.call(
      {
        method: 'GET',
        path: this.#itemPath(id),
        route: `${this.shape.route}/{id}`,
        auth: 'bearer',
        kind: 'read',
        action: `read ${this.shape.noun} ${id}`,
      },
      this.shape.item,
      options,
    );
    return result.value;
  }

  /** Changes name, description or status (`inactive` suspends the token). */
  async patch(id: string, patch: PatchInput, options?: CallOptions): Promise<Item> {
    const path = this.#itemPath(id);
    const action = `update ${this.shape.noun} ${id}`;
    const result = await this.transport.call(
      {
        method: 'PATCH',
        path,
        route: `${this.shape.route}/{id}`,
        body: checkInput(this.shape.patchInput, patch, action),
        auth: 'bearer',
        kind: 'idempotent',
        action,
      },
      this.shape.item,
      options,
    );
    return result.value;
  }

  /** Deletes (revokes) the token. */
  async delete(id: string, options?: CallOptions): Promise<SuccessType> {
    const result = await this.transport.call(
      {
        method: 'DELETE',
        path: this.#itemPath(id),
        route: `${this.shape.route}/{id}`,
        auth: 'bearer',
        kind: 'idempotent',
        goneIsDone: true,
        action: `delete ${this.shape.noun} ${id}`,
      },
      Success,
      options,
    );
    return result.value;
  }

  /** Mints a token; never retried. The token string is in this answer only. */
  protected async createToken(token: CreateInput, options?: CallOptions): Promise<CallResult<Created>> {
    const { created, createInput } = this.shape;
    if (!created || !createInput) throw new Error(`${this.shape.noun}s cannot be created through this client`);
    const path = this.basePath();
    const action = `create a ${this.shape.noun}`;
    return this.transport.call(
      {
        method: 'POST',
        path,
        route: this.shape.route,
        body: checkInput(createInput, token, action),
        auth: 'bearer',
        kind: 'create',
        action,
        credentialFields: ['token'],
      },
      created,
      options,
    );
  }
}

/** A token collection that can also mint tokens (API tokens; OAuth tokens come from sign-in only). */
export class MintableTokenCollection<Item, Created, CreateInput, PatchInput> extends TokenCollection<
  Item,
  Created,
  CreateInput,
  PatchInput
> {
  create(token: CreateInput, options?: CallOptions): Promise<CallResult<Created>> {
    return this.createToken(token, options);
  }
}

export function applicationApiTokens(transport: Transport, applicationId: string) {
  return new MintableTokenCollection(
    transport,
    () => `/applications/${checkId(applicationId, 'application id')}/tokens`,
    {
      noun: 'application API token',
      route: '/applications/{applicationId}/tokens',
      item: ApiToken,
      page: ApiTokens,
      created: CreatedApiToken,
      createInput: ApiTokenCreate,
      patchInput: ApiTokenPatch,
    },
  );
}

export function userApiTokens(transport: Transport) {
  return new MintableTokenCollection(transport, () => '/me/tokens', {
    noun: 'user API token',
    route: '/me/tokens',
    item: UserApiToken,
    page: UserApiTokens,
    created: CreatedUserApiToken,
    createInput: UserApiTokenCreate,
    patchInput: UserTokenPatch,
  });
}

export function userOAuthTokens(transport: Transport) {
  return new TokenCollection(transport, () => '/me/oauth-tokens', {
    noun: 'OAuth token',
    route: '/me/oauth-tokens',
    item: OAuthToken,
    page: OAuthTokens,
    created: undefined,
    createInput: undefined,
    patchInput: UserTokenPatch,
  });
}
