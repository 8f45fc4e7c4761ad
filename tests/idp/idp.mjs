// A real OpenID Connect provider (npm oidc-provider) for the single sign-on tests (tests/support/idp.py).
//
//   node idp.mjs '{"accounts": {"ID": {claims...}}, "registration_token": "...", "role_claim": "dealroom_role",
//                  "dev_interactions": false}'
//
// Listens on a free loopback port and prints one JSON line {"issuer": "http://127.0.0.1:PORT"}; exits when
// its stdin closes (the test process went away) or on SIGTERM. Tests register their client through dynamic
// client registration (POST /reg with the registration token), so each test server has its own redirect URI.
//
// The login "page" is a small HTTP interface instead of oidc-provider's dev interactions:
//   GET  /interaction/:uid        -> {"uid", "prompt"}   (JSON)
//   POST /interaction/:uid/login  body account=ID       -> 303 back into the authorization flow
//   POST /interaction/:uid/abort                        -> 303 with error=access_denied
// With "dev_interactions": true (the browser tests, tests/frontend/test_sso_in_the_browser.py) the provider
// shows its own HTML pages instead: a login form (the account ID as the login, any password) with a Cancel
// link, and a consent page should it ask for one.
// Consent is implied for the registered clients (they stand for the company's own app).
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import Provider from "oidc-provider";

const config = JSON.parse(process.argv[2] ?? "{}");
const accounts = config.accounts ?? {};
const roleClaim = config.role_claim ?? "dealroom_role";
const devPages = config.dev_interactions === true;

const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

async function readForm(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

function logoutSource(ctx, form) {
  // The provider's own "sign out?" question, as a form the test submits (it carries the xsrf token).
  ctx.body = `<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign out</title></head><body><p>Sign out of the identity provider as well?</p>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button></body></html>`;
}

function configuration() {
  return {
    clients: [],
    jwks: { keys: [{ ...signingKey, kid: "test-idp-key", use: "sig", alg: "RS256" }] },
    cookies: { keys: ["dealroom-test-idp-cookie-key"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", roleClaim] },
    // Claims in the ID token itself, as most company identity providers configure them for an app.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: devPages },
      registration: { enabled: true, initialAccessToken: config.registration_token ?? "test-registration-token" },
      rpInitiatedLogout: { enabled: true, logoutSource },
    },
    async findAccount(ctx, sub) {
      if (!accounts[sub]) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...accounts[sub] }) };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (!ctx.oidc.session.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.params.scope ?? "openid");
      await grant.save();
      return grant;
    },
    // The dev pages bring their own interaction URL.
    ...(devPages ? {} : { interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` } }),
    async renderError(ctx, out) {
      ctx.type = "json";
      ctx.body = out;
    },
    ttl: { Session: 3600, Grant: 3600, Interaction: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  };
}

function interactions(provider) {
  return async (ctx, next) => {
    const match = /^\/interaction\/([^/]+)(?:\/(login|abort))?$/.exec(ctx.path);
    if (!match) return next();
    const [, uid, action] = match;
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== uid) ctx.throw(400, "interaction mismatch");
    if (!action && ctx.method === "GET") {
      ctx.body = { uid, prompt: details.prompt.name };
      return;
    }
    if (ctx.method !== "POST") ctx.throw(405);
    let result;
    if (action === "abort") {
      result = { error: "access_denied", error_description: "the person cancelled" };
    } else {
      const account = (await readForm(ctx.req)).get("account");
      if (!accounts[account]) ctx.throw(400, "unknown account");
      result = { login: { accountId: account } };
    }
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
  };
}

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration());
  if (!devPages) provider.use(interactions(provider));
  server.on("request", provider.callback());
  process.stdout.write(JSON.stringify({ issuer }) + "\n");
});

process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
