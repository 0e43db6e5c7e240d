// A real OpenID Connect provider (oidc-provider 9) on loopback, for tests only.
// Configured entirely from the environment; see tests/oidc_provider.py.
//
//   OIDC_PORT                       listen port (issuer http://127.0.0.1:<port>)
//   OIDC_CLIENT_ID / _SECRET        the one confidential client
//   OIDC_REDIRECT_URIS              comma-separated
//   OIDC_POST_LOGOUT_REDIRECT_URIS  comma-separated, optional
//
// Prints "READY <issuer>" on stdout once listening.
import { generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';

function env(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    console.error(`provider.mjs: missing environment variable ${name}`);
    process.exit(2);
  }
  return value;
}

const list = (value) => value.split(',').map((s) => s.trim()).filter(Boolean);

const port = Number(env('OIDC_PORT'));
const issuer = `http://127.0.0.1:${port}`;

// Test accounts: any login id exists. Roles come from the id's prefix,
// the organisation from the part after '@' (editor@acme -> editor in acme).
function accountClaims(id) {
  let roles = ['viewer'];
  if (id.startsWith('platform-admin')) roles = ['platform-admin'];
  else if (id.startsWith('admin')) roles = ['admin'];
  else if (id.startsWith('editor')) roles = ['editor'];
  const at = id.indexOf('@');
  const orgId = at === -1 ? 'default' : id.slice(at + 1);
  return {
    sub: id, email: `${id}@example.test`, name: id, roles, org_id: orgId,
  };
}

// A fresh signing key per run, instead of the library's published
// development keys (which it warns about).
const signingKey = {
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: 'test-rs256', use: 'sig', alg: 'RS256',
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: env('OIDC_CLIENT_ID'),
    client_secret: env('OIDC_CLIENT_SECRET'),
    redirect_uris: list(env('OIDC_REDIRECT_URIS')),
    post_logout_redirect_uris: list(process.env.OIDC_POST_LOGOUT_REDIRECT_URIS ?? ''),
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [signingKey] },
  // PKCE (S256 only in v9) is accepted when sent; not forced on confidential clients.
  pkce: { required: () => false },
  scopes: ['openid', 'email', 'profile', 'iso'],
  claims: {
    openid: ['sub'], email: ['email'], profile: ['name'], iso: ['roles', 'org_id'],
  },
  // Put scope-derived claims (roles, org_id, ...) in the ID token itself,
  // not only behind the userinfo endpoint.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    return { accountId: id, claims: async () => accountClaims(id) };
  },
  // Skip the consent page: the only client is first-party, so grant it
  // whatever OIDC scopes/claims it asks for. (Consent stays the library's
  // default page, "Continue" button, should a grant ever be missing.)
  async loadExistingGrant(ctx) {
    const { oidc } = ctx;
    const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
    let grant = grantId && await oidc.provider.Grant.find(grantId);
    // A grant of another account (re-login as someone else) must not be reused.
    if (!grant || grant.accountId !== oidc.account.accountId) {
      grant = new oidc.provider.Grant({ accountId: oidc.account.accountId, clientId: oidc.client.clientId });
    }
    grant.addOIDCScope(oidc.requestParamOIDCScopes);
    grant.addOIDCClaims(oidc.requestParamClaims);
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true }, // login form: inputs "login" + "password" (any)
    rpInitiatedLogout: {
      enabled: true,
      // The default page asks "Do you want to sign-out?"; confirm it by
      // itself so RP logout goes straight to post_logout_redirect_uri.
      async logoutSource(ctx, form) {
        const confirm = '<input type="hidden" name="logout" value="yes"/>'
          + '<noscript><button type="submit">Yes, sign me out</button></noscript></form>';
        ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Logout Request</title></head>
<body>${form.replace('</form>', confirm)}<script>document.forms[0].submit()</script></body></html>`;
      },
    },
  },
  // Fixed, test-only key; cookie names stay the defaults (_session,
  // _interaction, _interaction_resume), distinct from the RP's own cookie.
  cookies: { keys: ['iso55001-test-oidc-cookie-key'] },
});

// The library's HTML pages @import a Google font. Block that with CSP so
// browser tests never reach off the machine (inline styles still apply).
provider.use(async (ctx, next) => {
  ctx.set('Content-Security-Policy', "style-src 'unsafe-inline'");
  await next();
});

// Surface errors the library otherwise swallows into a 500/400 page.
provider.on('server_error', (ctx, err) => console.error('server_error:', err));

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`READY ${issuer}`);
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // keep-alive sockets would hold close() open
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
