// Cognito user pool + managed login (hosted UI) stand-in.
//
// oauth2-mock-server's issuer signs the tokens (see tokens.mjs); the routes
// are ours because its /authorize approves without a login page and its
// token endpoint checks no client, redirect URI or PKCE verifier. Paths and
// error codes follow Cognito's OAuth endpoints:
//   GET  /<pool>/.well-known/openid-configuration, /<pool>/.well-known/jwks.json
//   GET  /oauth2/authorize      sign-in form (or straight back with a code
//                               when the browser has a session, as Cognito)
//   POST /login, /oauth2/authorize   the form's post
//   POST /oauth2/token          authorization_code (+PKCE S256), refresh_token
//   GET|POST /oauth2/userInfo   Bearer access token
//   POST /oauth2/revoke         refresh token (+ the tokens issued from it)
//   GET  /logout                client_id + logout_uri (or redirect_uri)
// Test hooks under /_local/ (see README).

import { randomUUID, createHash, timingSafeEqual } from 'node:crypto';
import {
  createServer, readForm, readJson, sendJson, sendHtml, redirect, mediaType, escapeHtml, HttpError, TestHooks, sleep,
} from './http.mjs';
import { TokenError, atHash, newRefreshToken } from './tokens.mjs';

const JSON_NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const SESSION_COOKIE = 'cognito';

function safeEqual(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseCookies(header) {
  const out = {};
  for (const part of String(header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function isLoopbackUrl(url, path) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (
    (u.protocol === 'http:' || u.protocol === 'https:') &&
    (u.hostname === '127.0.0.1' || u.hostname === 'localhost') &&
    u.pathname === path &&
    u.search === '' &&
    u.hash === '' &&
    u.username === '' &&
    u.password === '' &&
    url === `${u.protocol}//${u.host}${u.pathname}` // no odd spellings (trailing ?, #, ...)
  );
}

export function isAllowedCallback(client, url) {
  return typeof url === 'string' && (client.callbackUrls.includes(url) || isLoopbackUrl(url, client.loopbackCallbackPath));
}

export function isAllowedLogout(client, url) {
  return typeof url === 'string' && (client.logoutUrls.includes(url) || isLoopbackUrl(url, client.loopbackLogoutPath));
}

function withParams(base, params) {
  const u = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, v);
  return u.toString();
}

// ---------------------------------------------------------------------------
// HTML

const PAGE_STYLE = `
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f2f3f3; margin: 0; }
  main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.3rem; margin-top: 0; }
  label { display: block; margin: 1rem 0 .3rem; font-weight: 600; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .55rem; font-size: 1rem; border: 1px solid #aab7b8; border-radius: 4px; }
  button { margin-top: 1.4rem; width: 100%; padding: .7rem; font-size: 1rem; background: #0972d3; color: #fff; border: 0; border-radius: 20px; cursor: pointer; }
  .errorMessage { color: #d91515; background: #fff7f7; border: 1px solid #d91515; padding: .6rem; border-radius: 4px; }
  .note { color: #5f6b7a; font-size: .85rem; margin-top: 1.5rem; }
  code { font-size: .9em; }`;

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

// Field ids follow Cognito's classic hosted UI (signInFormUsername,
// signInFormPassword, signInSubmitButton, loginErrorMessage) so browser tests
// can use the same selectors locally and against AWS.
function signInPage(request, { username = '', error = null } = {}) {
  const hidden = Object.entries(request)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n  ');
  const message = error ? `<p id="loginErrorMessage" class="errorMessage" role="alert">${escapeHtml(error)}</p>` : '';
  return page(
    'Signin',
    `<h1>Sign in with your username and password</h1>
${message}
<form name="cognitoSignInForm" method="post" action="/login">
  ${hidden}
  <label for="signInFormUsername">Username</label>
  <input id="signInFormUsername" name="username" type="text" autocapitalize="none" autocomplete="username" required value="${escapeHtml(username)}" ${username ? '' : 'autofocus'}>
  <label for="signInFormPassword">Password</label>
  <input id="signInFormPassword" name="password" type="password" autocomplete="current-password" required ${username ? 'autofocus' : ''}>
  <button id="signInSubmitButton" name="signInSubmitButton" type="submit">Sign in</button>
</form>
<p class="note">Local stand-in for the Cognito hosted UI (CleanCognito <code>dev/local-aws</code>).</p>`,
  );
}

function errorPage(res, status, error, description) {
  sendHtml(
    res,
    status,
    page(
      'Error',
      `<h1>An error was encountered with the requested page.</h1>
<p class="errorMessage" id="errorMessage">error=${escapeHtml(error)}</p>
<p>${escapeHtml(description)}</p>`,
    ),
    { 'x-local-aws-error': error },
  );
}

// ---------------------------------------------------------------------------

export function createIdp({ config, tokens, log, onResetAll }) {
  const clients = new Map(config.clients.map((c) => [c.id, c]));
  const hooks = new TestHooks();
  const base = () => `http://${config.host}:${state.port}`;
  const poolPath = `/${config.userPoolId}`;

  const state = {
    port: null,
    codes: new Map(), // code -> grant
    refreshTokens: new Map(), // token -> grant
    revokedOrigins: new Set(), // origin_jti of revoked refresh tokens
    sessions: new Map(), // session id -> { username, authTime, expiresAt }
  };

  function reset() {
    state.codes.clear();
    state.refreshTokens.clear();
    state.revokedOrigins.clear();
    state.sessions.clear();
    hooks.reset();
  }

  function findUser(login) {
    const l = String(login ?? '').trim().toLowerCase();
    if (!l) return null;
    return config.users.find((u) => u.username.toLowerCase() === l || u.email.toLowerCase() === l) ?? null;
  }

  const userBySub = (sub) => config.users.find((u) => u.sub === sub) ?? null;

  // --- token issuing -------------------------------------------------------

  async function issueTokens({ user, client, scopes, authTime, originJti, eventId, nonce, withRefresh }) {
    const groups = user.groups.length ? { 'cognito:groups': [...user.groups] } : {};
    const accessToken = await tokens.sign(
      {
        sub: user.sub,
        ...groups,
        iss: config.issuer,
        version: 2,
        client_id: client.id,
        origin_jti: originJti,
        event_id: eventId,
        token_use: 'access',
        scope: scopes.join(' '),
        auth_time: authTime,
        jti: randomUUID(),
        username: user.username,
      },
      client.accessTokenTtl,
    );
    const body = { access_token: accessToken };
    if (scopes.includes('openid')) {
      body.id_token = await tokens.sign(
        {
          at_hash: atHash(accessToken),
          sub: user.sub,
          ...groups,
          email_verified: user.emailVerified,
          iss: config.issuer,
          'cognito:username': user.username,
          ...(nonce ? { nonce } : {}),
          origin_jti: originJti,
          aud: client.id,
          event_id: eventId,
          token_use: 'id',
          auth_time: authTime,
          jti: randomUUID(),
          email: user.email,
        },
        client.idTokenTtl,
      );
    }
    if (withRefresh) {
      const refreshToken = newRefreshToken();
      state.refreshTokens.set(refreshToken, {
        clientId: client.id,
        username: user.username,
        scopes,
        authTime,
        originJti,
        eventId,
        expiresAt: Date.now() + client.refreshTokenTtl * 1000,
      });
      body.refresh_token = refreshToken;
    }
    body.expires_in = client.accessTokenTtl;
    body.token_type = 'Bearer';
    return body;
  }

  // --- authorize request validation ---------------------------------------

  /**
   * Validates an authorize request (query of GET or hidden fields of the
   * form post). Returns { client, request, scopes } or { page } for errors
   * shown on our own page (unknown client, unverified redirect_uri: never
   * redirect there) or { redirectError } for errors reported back to a
   * verified redirect_uri, as OAuth and Cognito do.
   */
  function checkAuthorizeRequest(p) {
    const request = {
      response_type: p.response_type,
      client_id: p.client_id,
      redirect_uri: p.redirect_uri,
      state: p.state,
      nonce: p.nonce,
      scope: p.scope,
      code_challenge: p.code_challenge,
      code_challenge_method: p.code_challenge_method,
    };
    const client = clients.get(p.client_id);
    if (!p.client_id || !client) {
      return { page: [400, 'invalid_request', `Unknown client_id "${p.client_id ?? ''}".`] };
    }
    if (!p.redirect_uri || !isAllowedCallback(client, p.redirect_uri)) {
      return { page: [400, 'redirect_mismatch', `redirect_uri "${p.redirect_uri ?? ''}" is not an allowed callback URL of client ${client.id}.`] };
    }
    const back = (error, description) => ({
      redirectError: withParams(p.redirect_uri, { error, error_description: description, state: p.state }),
    });
    if (p.response_type !== 'code') {
      return back('unsupported_response_type', 'response_type must be code');
    }
    if (p.code_challenge !== undefined || p.code_challenge_method !== undefined) {
      if (p.code_challenge_method !== 'S256') return back('invalid_request', 'code_challenge_method must be S256');
      if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(p.code_challenge ?? '')) return back('invalid_request', 'invalid code_challenge');
    }
    let scopes = client.scopes;
    if (p.scope !== undefined && p.scope.trim() !== '') {
      scopes = [...new Set(p.scope.trim().split(/\s+/))];
      const bad = scopes.filter((s) => !client.scopes.includes(s));
      if (bad.length) return back('invalid_scope', `scope not allowed: ${bad.join(' ')}`);
    }
    return { client, request, scopes };
  }

  function issueCode(check, user, authTime, res, extraHeaders = {}) {
    const code = randomUUID();
    state.codes.set(code, {
      clientId: check.client.id,
      redirectUri: check.request.redirect_uri,
      scopes: check.scopes,
      nonce: check.request.nonce,
      codeChallenge: check.request.code_challenge,
      username: user.username,
      authTime,
      expiresAt: Date.now() + config.authCodeTtl * 1000,
    });
    redirect(res, withParams(check.request.redirect_uri, { code, state: check.request.state }), extraHeaders);
  }

  function currentSession(req) {
    const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    const session = sid && state.sessions.get(sid);
    if (!session) return null;
    if (session.expiresAt < Date.now()) {
      state.sessions.delete(sid);
      return null;
    }
    return { sid, ...session };
  }

  async function authorizeGet(req, res, url) {
    hooks.count('authorize');
    const p = Object.fromEntries(url.searchParams);
    const check = checkAuthorizeRequest(p);
    if (check.page) return errorPage(res, ...check.page);
    if (check.redirectError) return redirect(res, check.redirectError);
    // Cognito signs a browser with a live session straight back in.
    const session = currentSession(req);
    if (session && p.prompt !== 'login') {
      const user = findUser(session.username);
      if (user) return issueCode(check, user, session.authTime, res);
    }
    return sendHtml(res, 200, signInPage(check.request));
  }

  async function loginPost(req, res) {
    hooks.count('login');
    if (mediaType(req) !== 'application/x-www-form-urlencoded') {
      return errorPage(res, 400, 'invalid_request', 'The sign-in form must be posted as application/x-www-form-urlencoded.');
    }
    const form = await readForm(req);
    const check = checkAuthorizeRequest(form);
    if (check.page) return errorPage(res, ...check.page);
    if (check.redirectError) return redirect(res, check.redirectError);
    const user = findUser(form.username);
    if (!user || !safeEqual(form.password ?? '', user.password)) {
      log(`sign-in refused for "${form.username ?? ''}"`);
      return sendHtml(res, 200, signInPage(check.request, { username: form.username ?? '', error: 'Incorrect username or password.' }));
    }
    const authTime = Math.floor(Date.now() / 1000);
    const sid = randomUUID();
    state.sessions.set(sid, { username: user.username, authTime, expiresAt: Date.now() + config.sessionTtl * 1000 });
    log(`sign-in ok for ${user.username} (client ${check.client.id})`);
    return issueCode(check, user, authTime, res, {
      'set-cookie': `${SESSION_COOKIE}=${sid}; Path=/; Max-Age=${config.sessionTtl}; HttpOnly; SameSite=Lax`,
    });
  }

  // --- token endpoint -------------------------------------------------------

  function oauthError(res, status, error, description) {
    const body = { error };
    if (description) body.error_description = description;
    sendJson(res, status, body, JSON_NO_STORE);
  }

  /** Client authentication: HTTP Basic or client_id (+client_secret) in the body. */
  function authenticateClient(req, form) {
    let id = form.client_id;
    let secret = form.client_secret;
    const auth = req.headers.authorization;
    if (auth) {
      const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
      if (!m) return { error: 'invalid_client' };
      const decoded = Buffer.from(m[1], 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) return { error: 'invalid_client' };
      const dec = (s) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          return s;
        }
      };
      const basicId = dec(decoded.slice(0, i));
      if (id !== undefined && id !== basicId) return { error: 'invalid_client' };
      id = basicId;
      secret = dec(decoded.slice(i + 1));
    }
    const client = clients.get(id);
    if (!id || !client) return { error: 'invalid_client' };
    if (client.secret) {
      if (!secret || !safeEqual(secret, client.secret)) return { error: 'invalid_client' };
    } else if (secret) {
      return { error: 'invalid_client' }; // a public client has no secret
    }
    return { client };
  }

  async function tokenPost(req, res) {
    if (mediaType(req) !== 'application/x-www-form-urlencoded') {
      return oauthError(res, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = await readForm(req);
    hooks.count(`token:${form.grant_type ?? '(none)'}`);
    const failure = hooks.takeFailure('/oauth2/token');
    if (failure) return applyFailure(res, failure);

    const { client, error } = authenticateClient(req, form);
    if (error) return oauthError(res, 401, error);

    if (!form.grant_type) return oauthError(res, 400, 'invalid_request', 'grant_type is required');
    if (form.grant_type === 'authorization_code') return codeGrant(res, client, form);
    if (form.grant_type === 'refresh_token') return refreshGrant(res, client, form);
    return oauthError(res, 400, 'unsupported_grant_type');
  }

  async function codeGrant(res, client, form) {
    if (!form.code) return oauthError(res, 400, 'invalid_request', 'code is required');
    const grant = state.codes.get(form.code);
    if (!grant || grant.clientId !== client.id) return oauthError(res, 400, 'invalid_grant');
    state.codes.delete(form.code); // single use, whatever happens next
    if (grant.expiresAt < Date.now()) return oauthError(res, 400, 'invalid_grant', 'code expired');
    if (form.redirect_uri !== grant.redirectUri) return oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match');
    if (grant.codeChallenge) {
      if (!form.code_verifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(form.code_verifier)) {
        return oauthError(res, 400, 'invalid_grant', 'code_verifier missing or malformed');
      }
      const computed = createHash('sha256').update(form.code_verifier, 'ascii').digest('base64url');
      if (!safeEqual(computed, grant.codeChallenge)) return oauthError(res, 400, 'invalid_grant', 'code_verifier does not match');
    }
    const user = findUser(grant.username);
    if (!user) return oauthError(res, 400, 'invalid_grant');
    const body = await issueTokens({
      user,
      client,
      scopes: grant.scopes,
      authTime: grant.authTime,
      originJti: randomUUID(),
      eventId: randomUUID(),
      nonce: grant.nonce,
      withRefresh: true,
    });
    return sendJson(res, 200, orderTokenResponse(body), JSON_NO_STORE);
  }

  async function refreshGrant(res, client, form) {
    if (!form.refresh_token) return oauthError(res, 400, 'invalid_request', 'refresh_token is required');
    const grant = state.refreshTokens.get(form.refresh_token);
    if (!grant || grant.clientId !== client.id || state.revokedOrigins.has(grant.originJti)) {
      return oauthError(res, 400, 'invalid_grant', 'Invalid Refresh Token');
    }
    if (grant.expiresAt < Date.now()) return oauthError(res, 400, 'invalid_grant', 'Refresh Token has expired');
    const user = findUser(grant.username);
    if (!user) return oauthError(res, 400, 'invalid_grant');
    // Cognito (without refresh token rotation) returns new access and ID
    // tokens from the same origin, no new refresh token.
    const body = await issueTokens({
      user,
      client,
      scopes: grant.scopes,
      authTime: grant.authTime,
      originJti: grant.originJti,
      eventId: grant.eventId,
      nonce: null,
      withRefresh: false,
    });
    return sendJson(res, 200, orderTokenResponse(body), JSON_NO_STORE);
  }

  const orderTokenResponse = (b) => ({
    ...(b.id_token ? { id_token: b.id_token } : {}),
    access_token: b.access_token,
    ...(b.refresh_token ? { refresh_token: b.refresh_token } : {}),
    expires_in: b.expires_in,
    token_type: b.token_type,
  });

  // --- userInfo, revoke, logout --------------------------------------------

  async function userInfo(req, res) {
    hooks.count('userInfo');
    const invalid = (description) =>
      sendJson(res, 401, { error: 'invalid_token', error_description: description }, {
        'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
        ...JSON_NO_STORE,
      });
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return invalid('Access token is missing');
    let claims;
    try {
      claims = await tokens.verify(m[1], { tokenUse: 'access' });
    } catch (err) {
      if (err instanceof TokenError && err.reason === 'expired') return invalid('Access token is expired');
      return invalid('Invalid access token');
    }
    if (state.revokedOrigins.has(claims.origin_jti)) return invalid('Access token has been revoked');
    const scopes = String(claims.scope ?? '').split(' ');
    if (!scopes.includes('openid') && !scopes.includes('aws.cognito.signin.user.admin')) {
      return sendJson(res, 403, { error: 'insufficient_scope' }, JSON_NO_STORE);
    }
    const user = userBySub(claims.sub);
    if (!user) return invalid('User does not exist');
    const info = { sub: user.sub };
    if (scopes.includes('email') || scopes.includes('aws.cognito.signin.user.admin')) {
      // Cognito's userInfo sends email_verified as a string.
      info.email_verified = String(user.emailVerified);
      info.email = user.email;
    }
    info.username = user.username;
    return sendJson(res, 200, info, JSON_NO_STORE);
  }

  async function revoke(req, res) {
    hooks.count('revoke');
    if (mediaType(req) !== 'application/x-www-form-urlencoded') {
      return oauthError(res, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = await readForm(req);
    const failure = hooks.takeFailure('/oauth2/revoke');
    if (failure) return applyFailure(res, failure);
    const { client, error } = authenticateClient(req, form);
    if (error) return oauthError(res, 401, error);
    if (!form.token) return oauthError(res, 400, 'invalid_request', 'token is required');
    if (form.token.split('.').length === 3) return oauthError(res, 400, 'unsupported_token_type');
    const grant = state.refreshTokens.get(form.token);
    if (grant) {
      if (grant.clientId !== client.id) return oauthError(res, 400, 'unauthorized_client');
      state.refreshTokens.delete(form.token);
      state.revokedOrigins.add(grant.originJti);
      log(`refresh token revoked for ${grant.username} (origin ${grant.originJti})`);
    }
    // Unknown tokens: 200 as well (RFC 7009); Cognito's body is empty.
    res.writeHead(200, { 'content-length': 0, 'cache-control': 'no-store' });
    return res.end();
  }

  function logout(req, res, url) {
    hooks.count('logout');
    const p = Object.fromEntries(url.searchParams);
    const client = clients.get(p.client_id);
    if (!p.client_id || !client) return errorPage(res, 400, 'invalid_request', `Unknown client_id "${p.client_id ?? ''}".`);
    const clear = { 'set-cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` };
    const session = currentSession(req);
    if (p.logout_uri !== undefined) {
      if (!isAllowedLogout(client, p.logout_uri)) {
        return errorPage(res, 400, 'redirect_mismatch', `logout_uri "${p.logout_uri}" is not an allowed sign-out URL of client ${client.id}.`);
      }
      if (session) state.sessions.delete(session.sid);
      return redirect(res, p.logout_uri, clear);
    }
    if (p.redirect_uri !== undefined) {
      // Cognito's "sign out, then sign in again" form of /logout.
      const check = checkAuthorizeRequest({ ...p, response_type: p.response_type });
      if (check.page) return errorPage(res, ...check.page);
      if (session) state.sessions.delete(session.sid);
      if (check.redirectError) return redirect(res, check.redirectError, clear);
      return redirect(res, withParams(`${base()}/oauth2/authorize`, check.request), clear);
    }
    return errorPage(res, 400, 'invalid_request', 'logout_uri (or redirect_uri and response_type) is required.');
  }

  function applyFailure(res, failure) {
    const body = { error: failure.type };
    if (failure.message) body.error_description = failure.message;
    return sleep(failure.delayMs).then(() => sendJson(res, failure.status, body, JSON_NO_STORE));
  }

  // --- discovery ------------------------------------------------------------

  function discovery() {
    const b = base();
    return {
      authorization_endpoint: `${b}/oauth2/authorize`,
      code_challenge_methods_supported: ['S256'],
      end_session_endpoint: `${b}/logout`,
      grant_types_supported: ['authorization_code', 'refresh_token'],
      id_token_signing_alg_values_supported: ['RS256'],
      issuer: config.issuer,
      jwks_uri: `${b}${poolPath}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      revocation_endpoint: `${b}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${b}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${b}/oauth2/userInfo`,
    };
  }

  // --- test hooks -----------------------------------------------------------

  /** POST /_local/tokens {username, client_id?, scope?, expires_in?, nonce?}: tokens without the UI. */
  async function mintTokens(req, res) {
    const body = await readJson(req).catch(() => {
      throw new HttpError(400, 'body must be JSON');
    });
    const user = findUser(body.username);
    if (!user) throw new HttpError(400, `unknown user "${body.username}"`);
    const client = clients.get(body.client_id ?? 'cleancognito-local');
    if (!client) throw new HttpError(400, `unknown client "${body.client_id}"`);
    const scopes = body.scope ? String(body.scope).split(/\s+/) : ['openid', 'email', 'profile'];
    let expiresIn = client.accessTokenTtl;
    if (body.expires_in !== undefined) {
      if (!Number.isInteger(body.expires_in)) throw new HttpError(400, 'expires_in must be an integer (negative = already expired)');
      expiresIn = body.expires_in;
    }
    const tuned = { ...client, accessTokenTtl: expiresIn, idTokenTtl: expiresIn };
    const out = await issueTokens({
      user,
      client: tuned,
      scopes,
      authTime: Math.floor(Date.now() / 1000),
      originJti: randomUUID(),
      eventId: randomUUID(),
      nonce: body.nonce ?? null,
      withRefresh: true,
    });
    // The refresh token is bound to the real client (its own lifetimes).
    return sendJson(res, 200, orderTokenResponse(out), JSON_NO_STORE);
  }

  async function localHook(req, res, path) {
    if (path === '/_local/health' && req.method === 'GET') return sendJson(res, 200, { ok: true, piece: 'idp' });
    if (path === '/_local/stats' && req.method === 'GET') return sendJson(res, 200, hooks.stats);
    // Every refresh token handed out and not forgotten: for tests that look for them where they must not be.
    if (path === '/_local/issued-refresh-tokens' && req.method === 'GET') return sendJson(res, 200, [...state.refreshTokens.keys()]);
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'use POST' });
    if (path === '/_local/reset') {
      reset();
      log('state reset');
      return sendJson(res, 200, { reset: ['idp'] });
    }
    if (path === '/_local/reset-all') return sendJson(res, 200, { reset: await onResetAll() });
    if (path === '/_local/tokens') return mintTokens(req, res);
    if (path === '/_local/rotate-keys') {
      const kid = await tokens.rotate();
      log(`signing keys rotated (new kid ${kid.slice(0, 8)}…)`);
      return sendJson(res, 200, { kid });
    }
    if (path === '/_local/fail-next') {
      const rule = hooks.addFailure(await readJson(req).catch(() => null), { status: 500, type: 'server_error', message: null });
      return sendJson(res, 200, rule);
    }
    return sendJson(res, 404, { message: `unknown test hook ${path}` });
  }

  // --- routing --------------------------------------------------------------

  const server = createServer('idp', log, async (req, res) => {
    const url = new URL(req.url, 'http://local');
    const path = url.pathname;
    const m = req.method;

    if (path.startsWith('/_local/')) return localHook(req, res, path);
    if (m === 'GET' && path === `${poolPath}/.well-known/openid-configuration`) return sendJson(res, 200, discovery());
    if (m === 'GET' && path === `${poolPath}/.well-known/jwks.json`) return sendJson(res, 200, tokens.jwks);
    if (path === '/oauth2/authorize' && m === 'GET') return authorizeGet(req, res, url);
    if ((path === '/login' || path === '/oauth2/authorize') && m === 'POST') return loginPost(req, res);
    if (path === '/login' && m === 'GET') return authorizeGet(req, res, url); // Cognito's /login takes the same query
    if (path === '/oauth2/token' && m === 'POST') return tokenPost(req, res);
    if (path === '/oauth2/userInfo' && (m === 'GET' || m === 'POST')) return userInfo(req, res);
    if (path === '/oauth2/revoke' && m === 'POST') return revoke(req, res);
    if (path === '/logout' && m === 'GET') return logout(req, res, url);
    if (['/oauth2/token', '/oauth2/revoke', '/oauth2/userInfo', '/logout', '/login', '/oauth2/authorize'].includes(path)) {
      return sendJson(res, 405, { error: 'invalid_request', error_description: `${m} not allowed` });
    }
    return sendJson(res, 404, { message: 'not found' });
  });

  return {
    server,
    reset,
    setPort(port) {
      state.port = port;
    },
    get discoveryUrl() {
      return `${base()}${poolPath}/.well-known/openid-configuration`;
    },
  };
}
