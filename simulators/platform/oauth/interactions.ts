import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Interaction, Provider } from 'oidc-provider';
import { isRole } from '../authz/roles';
import { OAUTH_SCOPE_DESCRIPTIONS } from '../authz/scopes';
import type { SimContext } from '../context';
import { readForm, sendHtml } from '../http/io';
import { newObjectId } from '../model/ids';
import type { OrgRole, User } from '../model/types';
import { consentPage, loginPage, messagePage, type DemoLogin } from './pages';

/** The path oidc-provider sends the browser to for login and consent. */
export const INTERACTION_PREFIX = '/oauth/interaction/';

/**
 * Login and consent, the part of the OAuth flow oidc-provider leaves to the host. Consent creates
 * the user's OAuth token record (pending until the client exchanges its code) and a grant holding
 * exactly the scopes shown.
 */
export class Interactions {
  constructor(
    private readonly ctx: SimContext,
    private readonly provider: Provider,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const [uid, action, ...rest] = path.slice(INTERACTION_PREFIX.length).split('/');
    if (!uid || rest.length || (action && action !== 'login' && action !== 'consent')) {
      return sendHtml(res, 404, messagePage('Not found', 'There is no such page.'));
    }
    let interaction: Interaction;
    try {
      interaction = await this.provider.interactionDetails(req, res);
    } catch {
      return sendHtml(
        res,
        400,
        messagePage('Sign-in expired', 'This sign-in request is no longer valid. Start again from the application.'),
      );
    }
    if (interaction.uid !== uid) return sendHtml(res, 400, messagePage('Sign-in expired', 'Start again.'));
    if (req.method === 'GET' && !action) return this.render(res, interaction);
    if (req.method === 'POST' && action === 'login' && interaction.prompt.name === 'login') {
      return this.login(req, res, interaction);
    }
    if (req.method === 'POST' && action === 'consent' && interaction.prompt.name === 'consent') {
      return this.consent(req, res, interaction);
    }
    return sendHtml(res, 405, messagePage('Not allowed', 'This step of the sign-in does not take that request.'));
  }

  private async clientName(interaction: Interaction): Promise<string> {
    const clientId = interaction.params.client_id ?? '';
    const client = await this.provider.Client.find(clientId);
    return client?.clientName ?? clientId;
  }

  private demoLogins(): DemoLogin[] {
    if (!this.ctx.settings.demoLogins) return [];
    return this.ctx.store.state.users.flatMap((user) =>
      user.demoLabel ? [{ userId: user.id, label: user.demoLabel }] : [],
    );
  }

  private async render(res: ServerResponse, interaction: Interaction, error?: string, email?: string): Promise<void> {
    const clientName = await this.clientName(interaction);
    if (interaction.prompt.name === 'login') {
      return sendHtml(
        res,
        error ? 401 : 200,
        loginPage({
          action: `${INTERACTION_PREFIX}${interaction.uid}/login`,
          clientName,
          demoLogins: this.demoLogins(),
          ...(error ? { error } : {}),
          ...(email ? { email } : {}),
        }),
      );
    }
    if (interaction.prompt.name === 'consent') {
      const user = this.ctx.store.user(interaction.session?.accountId ?? '');
      if (!user) return sendHtml(res, 400, messagePage('Sign-in expired', 'Sign in again.'));
      return sendHtml(
        res,
        200,
        consentPage({
          action: `${INTERACTION_PREFIX}${interaction.uid}/consent`,
          clientName,
          clientId: interaction.params.client_id ?? '',
          userEmail: user.email,
          scopes: this.requestedScopes(interaction).map((scope) => ({
            scope,
            description: OAUTH_SCOPE_DESCRIPTIONS[scope] ?? scope,
          })),
          orgs: this.orgsOf(user),
          defaultRole: 'collaborate',
        }),
      );
    }
    return sendHtml(res, 400, messagePage('Unexpected step', `The sign-in asks for "${interaction.prompt.name}".`));
  }

  private orgsOf(user: User) {
    return this.ctx.store.state.orgs.flatMap((org) => {
      const member = org.members.find((entry) => entry.userId === user.id);
      return member ? [{ id: org.id, name: org.name, memberRole: member.role }] : [];
    });
  }

  /** The supported scopes the client asked for (others are never granted, so never shown). */
  private requestedScopes(interaction: Interaction): string[] {
    const missing = (interaction.prompt.details.missingResourceScopes ?? {}) as Record<string, string[]>;
    return [...new Set(Object.values(missing).flat())].filter((scope) => scope in OAUTH_SCOPE_DESCRIPTIONS);
  }

  private async login(req: IncomingMessage, res: ServerResponse, interaction: Interaction): Promise<void> {
    const form = await readForm(req);
    let user: User | undefined;
    const demo = form.get('demo');
    if (demo) {
      user = this.demoLogins().some((login) => login.userId === demo) ? this.ctx.store.user(demo) : undefined;
    } else {
      const candidate = this.ctx.store.userByEmail(form.get('email') ?? '');
      const password = form.get('password') ?? '';
      if (candidate && this.ctx.hasher.matches('password', password, candidate.passwordHmac)) user = candidate;
    }
    const clientId = interaction.params.client_id ?? '';
    if (!user) {
      this.ctx.store.recordEvent('oauth.login', {
        result: 'refused',
        clientId,
        reason: 'Email or password is not correct',
      });
      return this.render(res, interaction, 'Email or password is not correct.', form.get('email') ?? undefined);
    }
    this.ctx.store.recordEvent('oauth.login', { result: 'allowed', clientId, userId: user.id });
    await this.provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.id } },
      { mergeWithLastSubmission: false },
    );
  }

  private async consent(req: IncomingMessage, res: ServerResponse, interaction: Interaction): Promise<void> {
    const form = await readForm(req);
    const clientId = interaction.params.client_id ?? '';
    const userId = interaction.session?.accountId ?? '';
    if (form.get('decision') !== 'allow') {
      this.ctx.store.recordEvent('oauth.consent', { result: 'denied', clientId, userId });
      return this.provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The user denied the request' },
        { mergeWithLastSubmission: false },
      );
    }
    const maxRole = form.get('maxRole') ?? 'collaborate';
    if (!isRole(maxRole))
      return sendHtml(res, 400, messagePage('Invalid role', 'Choose a maximum role from the list.'));
    const orgRoles: OrgRole[] = [];
    for (const [name, value] of form) {
      if (!name.startsWith('org:') || value === '') continue;
      const orgId = name.slice(4);
      if (!isRole(value) || !this.ctx.store.org(orgId)) {
        return sendHtml(res, 400, messagePage('Invalid role', 'Choose each organization role from the list.'));
      }
      orgRoles.push({ orgId, role: value });
    }

    const grant = new this.provider.Grant({ accountId: userId, clientId });
    const details = interaction.prompt.details as {
      missingOIDCScope?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (details.missingOIDCScope?.length) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    const granted = new Set<string>();
    for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(' '));
      scopes.forEach((scope) => granted.add(scope));
    }
    const grantId = await grant.save();

    const clientName = await this.clientName(interaction);
    const now = this.ctx.clock.nowIso();
    const record = {
      id: newObjectId(this.ctx.clock.now()),
      userId,
      grantId,
      clientId,
      clientName,
      redirectUri: interaction.params.redirect_uri ?? null,
      name: clientName,
      description: '',
      scope: [...granted],
      status: 'active' as const,
      authorizationStatus: 'pending' as const,
      defaultRole: maxRole,
      orgRoles,
      creationDate: now,
      lastUpdated: now,
    };
    this.ctx.store.addOauthToken(record);
    this.ctx.store.recordEvent('oauth.consent', {
      result: 'allowed',
      clientId,
      userId,
      oauthTokenId: record.id,
      scope: [...granted],
      defaultRole: maxRole,
      orgRoles: orgRoles.map((entry) => ({ ...entry })),
    });
    this.ctx.store.changed();
    await this.provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
}
