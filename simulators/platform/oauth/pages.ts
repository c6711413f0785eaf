import { ROLES, type Role } from '../model/types';

/**
 * The OAuth pages: plain HTML, no script, labels that Playwright (and people) find by name.
 * Login: "Email", "Password", "Sign in", one "Sign in as the demo <label>" button per demo user.
 * Consent: the requested scopes in plain words, "Maximum role", "Role in <org>", "Allow" and "Deny".
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; background: #f3f5f7; color: #1d2833; margin: 0; }
  main { max-width: 30rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input, select { width: 100%; box-sizing: border-box; font: inherit; padding: .5rem; margin-top: .25rem; }
  button { font: inherit; padding: .6rem 1.2rem; margin-top: 1.2rem; margin-right: .5rem; cursor: pointer; }
  button.primary { background: #1f6feb; color: #fff; border: 0; border-radius: 4px; }
  .alert { background: #fde8e8; color: #8a1c1c; padding: .6rem; border-radius: 4px; }
  .muted { color: #5b6770; font-size: .9rem; }
  ul.scopes li { margin-bottom: .5rem; }
  code { background: #eef1f4; padding: 0 .25rem; border-radius: 3px; }
  hr { border: 0; border-top: 1px solid #dde3e8; margin: 1.5rem 0; }
`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Platform simulator</title><style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>`;
}

export interface DemoLogin {
  userId: string;
  label: string;
}

export function loginPage(options: {
  action: string;
  clientName: string;
  error?: string;
  email?: string;
  demoLogins: DemoLogin[];
}): string {
  const demo = options.demoLogins.length
    ? `<hr><form method="post" action="${escapeHtml(options.action)}">
${options.demoLogins
  .map(
    (login) =>
      `<button type="submit" name="demo" value="${escapeHtml(login.userId)}">Sign in as the demo ${escapeHtml(login.label)}</button>`,
  )
  .join('\n')}
</form>`
    : '';
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p><strong>${escapeHtml(options.clientName)}</strong> asks to use your account.</p>
${options.error ? `<p class="alert" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(options.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button class="primary" type="submit">Sign in</button>
</form>
${demo}`,
  );
}

export interface ConsentOrg {
  id: string;
  name: string;
  memberRole: Role;
}

function roleOptions(selected: Role | '', withDefault: boolean): string {
  const options = ROLES.slice()
    .reverse()
    .map((role) => `<option value="${role}"${role === selected ? ' selected' : ''}>${role}</option>`);
  if (withDefault)
    options.unshift(`<option value=""${selected === '' ? ' selected' : ''}>same as maximum role</option>`);
  return options.join('');
}

export function consentPage(options: {
  action: string;
  clientName: string;
  clientId: string;
  userEmail: string;
  scopes: { scope: string; description: string }[];
  orgs: ConsentOrg[];
  defaultRole: Role;
}): string {
  const scopes = options.scopes.length
    ? `<ul class="scopes">${options.scopes
        .map((entry) => `<li><code>${escapeHtml(entry.scope)}</code>: ${escapeHtml(entry.description)}</li>`)
        .join('')}</ul>`
    : '<p>No scopes: the client gets no access to your data.</p>';
  const orgs = options.orgs
    .map(
      (org) => `<label for="org-${escapeHtml(org.id)}">Role in ${escapeHtml(org.name)}</label>
<select id="org-${escapeHtml(org.id)}" name="org:${escapeHtml(org.id)}">${roleOptions('', true)}</select>
<span class="muted">Your own role there: ${escapeHtml(org.memberRole)}. The token never exceeds it.</span>`,
    )
    .join('\n');
  return page(
    'Authorize',
    `<h1>Authorize ${escapeHtml(options.clientName)}</h1>
<p class="muted">Signed in as ${escapeHtml(options.userEmail)} · client <code>${escapeHtml(options.clientId)}</code></p>
<h2>Requested scopes</h2>
${scopes}
<form method="post" action="${escapeHtml(options.action)}">
<label for="maxRole">Maximum role</label>
<select id="maxRole" name="maxRole">${roleOptions(options.defaultRole, false)}</select>
<span class="muted">Caps what the token may do in every organization.</span>
${orgs ? `<h2>Per-organization permissions</h2>\n${orgs}` : ''}
<div>
<button class="primary" type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
