import type { KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml, messagePage, page } from './pages';

/**
 * The device authorization grant's pages (RFC 8628), rendered by oidc-provider with our HTML: an
 * input labelled "Code" and a "Continue" button, a confirmation showing the code, a success page.
 */

export async function deviceCodeInputPage(koa: KoaContextWithOIDC, form: string, _out: unknown, error?: unknown) {
  // oidc-provider's form has an unlabelled input; give it an id so the "Code" label names it.
  const labelled = form.replace('type="text" name="user_code"', 'id="user_code" type="text" name="user_code"');
  const message = error
    ? '<p class="alert" role="alert">That code is not valid or has expired. Check the code the station shows.</p>'
    : '<p>Enter the code the station shows.</p>';
  koa.type = 'html';
  koa.body = page(
    'Connect a station',
    `<h1>Connect a station</h1>${message}
<label for="user_code">Code</label>
${labelled}
<button class="primary" type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

export async function deviceCodeConfirmPage(
  koa: KoaContextWithOIDC,
  form: string,
  client: { clientName?: string; clientId: string },
  _deviceInfo: unknown,
  userCode: string,
) {
  koa.type = 'html';
  koa.body = page(
    'Confirm the station',
    `<h1>Confirm the station</h1>
<p><strong>${escapeHtml(client.clientName ?? client.clientId)}</strong> shows the code <code>${escapeHtml(userCode)}</code>.
Continue only if the station in front of you shows the same code.</p>
${form}
<button class="primary" type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Cancel</button>`,
  );
}

export async function deviceSuccessPage(koa: KoaContextWithOIDC) {
  koa.type = 'html';
  koa.body = messagePage('Station connected', 'The station is signed in. You can close this page.');
}
