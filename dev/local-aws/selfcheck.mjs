#!/usr/bin/env node
// Self-check of the local AWS stand-in stack: the wire behaviour the app and
// its tests rely on, end to end over HTTP.
//
//   node dev/local-aws/selfcheck.mjs           against a running stack (default ports / LOCAL_AWS_*_PORT)
//   node dev/local-aws/selfcheck.mjs --start   starts the stack itself (ports picked by the OS),
//                                              checks it, then checks start/stop behaviour
//
// Prints `ok - …` / `not ok - …` per check and a closing `N passed, N failed`
// line; exits 1 when anything failed.

import { spawn } from 'node:child_process';
import { createHash, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as jose from 'jose';
import { loadConfig } from './config.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const START = process.argv.includes('--start');
const VERBOSE = process.argv.includes('--verbose');

let passed = 0;
let failed = 0;

function check(cond, message, detail) {
  if (!cond) throw new Error(detail === undefined ? message : `${message}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
}

async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}${VERBOSE ? ` (${Date.now() - t0} ms)` : ''}`);
  } catch (err) {
    failed++;
    console.log(`not ok - ${name}\n    ${String(err.stack ?? err).split('\n').slice(0, 4).join('\n    ')}`);
  }
}

// ---------------------------------------------------------------------------
// Stack start/stop (for --start)

function startStack(env = {}, extraArgs = ['--exit-with-parent']) {
  const child = spawn(process.execPath, [path.join(HERE, 'stack.mjs'), ...extraArgs], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('LOCAL_AWS_READY ')) resolve({ info: JSON.parse(line.slice(16)), line });
        else if (line.startsWith('LOCAL_AWS_FAILED ')) reject(Object.assign(new Error(line), { failedLine: line }));
        else reject(new Error(`unexpected stdout line: ${line}`));
      }
    });
    exited.then(({ code, signal }) => reject(new Error(`stack exited before READY (code ${code}, signal ${signal}): ${stderr}`)));
    setTimeout(() => reject(new Error(`no READY within 60 s: ${stderr}`)), 60000).unref();
  });
  return { child, ready, exited, stderr: () => stderr };
}

const pidAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

const portOf = (url) => Number(new URL(url).port);

// ---------------------------------------------------------------------------
// HTTP helpers

async function http(method, url, { headers = {}, form, json, body, redirect = 'manual' } = {}) {
  const h = { ...headers };
  let payload = body;
  if (form) {
    payload = new URLSearchParams(form).toString();
    h['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (json !== undefined) {
    payload = JSON.stringify(json);
    h['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method, headers: h, body: payload, redirect });
  const text = await res.text();
  let data = null;
  try {
    data = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, data };
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function pkce() {
  const verifier = b64url(randomBytes(32));
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

// ---------------------------------------------------------------------------

async function run(info) {
  const PUBLIC = info.clients.public;
  const CONFIDENTIAL = info.clients.confidential;
  const SECRET = info.clientSecrets[CONFIDENTIAL];
  const SHORT = info.clients.shortlived;
  const alice = info.users.find((u) => u.username === 'alice');
  const bob = info.users.find((u) => u.username === 'bob');
  const REDIRECT = 'http://127.0.0.1:5080/signin-oidc';
  const idp = info.idp;
  let jwks;

  async function authorizeUrl(params) {
    const u = new URL(`${idp}/oauth2/authorize`);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
    return u.toString();
  }

  /** Signs in by the form like a browser; returns { code, state, location }. */
  async function formSignIn(user, password, { clientId = PUBLIC, redirectUri = REDIRECT, challenge, nonce = 'n-' + b64url(randomBytes(8)), scope = 'openid email profile' } = {}) {
    const state = 's-' + b64url(randomBytes(8));
    const params = { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, state, nonce, scope };
    if (challenge) Object.assign(params, { code_challenge: challenge, code_challenge_method: 'S256' });
    const page = await http('GET', await authorizeUrl(params));
    check(page.status === 200, 'authorize page status', page.status);
    // Post back exactly the hidden fields the form carries, as a browser does.
    const hidden = Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], decodeHtml(m[2])]));
    const res = await http('POST', `${idp}/login`, { form: { ...hidden, username: user, password } });
    return { res, state, nonce, hidden };
  }

  async function codeFor(user, password, opts = {}) {
    const { res, state, nonce } = await formSignIn(user, password, opts);
    check(res.status === 302, 'sign-in redirect status', `${res.status} ${res.text.slice(0, 200)}`);
    const loc = new URL(res.headers.get('location'));
    check(loc.searchParams.get('state') === state, 'state round-trips');
    return { code: loc.searchParams.get('code'), location: loc, nonce };
  }

  async function signIn(user, password, { clientId = PUBLIC, secret, scope } = {}) {
    const { verifier, challenge } = pkce();
    const { code, nonce } = await codeFor(user, password, { clientId, challenge, scope });
    const headers = secret ? { authorization: 'Basic ' + Buffer.from(`${clientId}:${secret}`).toString('base64') } : {};
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
    if (!secret) form.client_id = clientId;
    const res = await http('POST', `${idp}/oauth2/token`, { form, headers });
    check(res.status === 200, 'token exchange', res.text);
    return { ...res.data, nonce };
  }

  const mint = async (username, extra = {}) => {
    const res = await http('POST', `${idp}/_local/tokens`, { json: { username, ...extra } });
    check(res.status === 200, 'mint tokens', res.text);
    return res.data;
  };

  const gql = (token, query, variables, headers = {}) =>
    http('POST', info.appsync, { json: { query, variables }, headers: { ...(token ? { authorization: token } : {}), ...headers } });

  const identityCall = (target, body, headers = {}) =>
    http('POST', info.identity, {
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityService.${target}`, ...headers },
    });

  const logins = (idToken) => ({ [info.loginsKey]: idToken });

  await http('POST', `${idp}/_local/reset-all`);

  // --- user pool: discovery, keys, hosted UI --------------------------------

  await test('discovery document has Cognito issuer and local endpoints', async () => {
    const r = await http('GET', info.discovery);
    check(r.status === 200, 'status', r.status);
    const d = r.data;
    check(d.issuer === info.issuer && d.issuer === `https://cognito-idp.us-east-1.amazonaws.com/${info.userPoolId}`, 'issuer', d.issuer);
    check(d.authorization_endpoint === `${idp}/oauth2/authorize`, 'authorization_endpoint', d.authorization_endpoint);
    check(d.token_endpoint === `${idp}/oauth2/token`, 'token_endpoint');
    check(d.userinfo_endpoint === `${idp}/oauth2/userInfo`, 'userinfo_endpoint');
    check(d.revocation_endpoint === `${idp}/oauth2/revoke`, 'revocation_endpoint');
    check(d.end_session_endpoint === `${idp}/logout`, 'end_session_endpoint');
    check(d.jwks_uri === `${idp}/${info.userPoolId}/.well-known/jwks.json`, 'jwks_uri');
    check(JSON.stringify(d.code_challenge_methods_supported) === '["S256"]', 'S256 only');
    check(JSON.stringify(d.id_token_signing_alg_values_supported) === '["RS256"]', 'RS256');
    check(JSON.stringify(d.response_types_supported) === '["code"]', 'response types');
    check(d.scopes_supported.includes('openid'), 'scopes');
  });

  await test('JWKS publishes one RS256 signing key with a kid', async () => {
    const r = await http('GET', info.jwks);
    check(r.status === 200 && Array.isArray(r.data.keys) && r.data.keys.length >= 1, 'keys', r.text);
    const k = r.data.keys[0];
    check(k.kty === 'RSA' && k.alg === 'RS256' && k.use === 'sig' && k.kid && k.n && k.e, 'key fields', k);
    check(!('d' in k) && !('p' in k), 'no private parts');
    jwks = jose.createLocalJWKSet(r.data);
  });

  await test('authorize shows the sign-in form carrying the request', async () => {
    const { challenge } = pkce();
    const r = await http('GET', await authorizeUrl({ response_type: 'code', client_id: PUBLIC, redirect_uri: REDIRECT, state: 'st1', nonce: 'no1', scope: 'openid email', code_challenge: challenge, code_challenge_method: 'S256' }));
    check(r.status === 200 && /text\/html/.test(r.headers.get('content-type')), 'html 200', r.status);
    check(/name="username"/.test(r.text) && /name="password"/.test(r.text) && /type="submit"/.test(r.text), 'fields');
    for (const v of ['st1', 'no1', challenge, 'S256', PUBLIC]) check(r.text.includes(`value="${v}"`), `hidden ${v}`);
  });

  await test('authorize refuses an unknown redirect_uri without redirecting', async () => {
    const r = await http('GET', await authorizeUrl({ response_type: 'code', client_id: PUBLIC, redirect_uri: 'https://evil.example/signin-oidc', state: 'x' }));
    check(r.status === 400 && !r.headers.get('location'), 'error page, no redirect', r.status);
    check(r.text.includes('redirect_mismatch'), 'redirect_mismatch shown');
    const r2 = await http('GET', await authorizeUrl({ response_type: 'code', client_id: PUBLIC, redirect_uri: 'http://127.0.0.1:5080/elsewhere' }));
    check(r2.status === 400 && !r2.headers.get('location'), 'other path refused', r2.status);
    const r3 = await http('GET', await authorizeUrl({ response_type: 'code', client_id: 'nope', redirect_uri: REDIRECT }));
    check(r3.status === 400 && !r3.headers.get('location'), 'unknown client refused', r3.status);
  });

  await test('authorize accepts any loopback port for /signin-oidc (stand-in relaxation)', async () => {
    const r = await http('GET', await authorizeUrl({ response_type: 'code', client_id: PUBLIC, redirect_uri: 'http://localhost:41234/signin-oidc' }));
    check(r.status === 200, 'status', r.status);
  });

  await test('authorize sends protocol errors back to a verified redirect_uri', async () => {
    const r = await http('GET', await authorizeUrl({ response_type: 'token', client_id: PUBLIC, redirect_uri: REDIRECT, state: 'e1' }));
    check(r.status === 302, 'status', r.status);
    const loc = new URL(r.headers.get('location'));
    check(loc.searchParams.get('error') === 'unsupported_response_type' && loc.searchParams.get('state') === 'e1', 'error', loc.search);
    const r2 = await http('GET', await authorizeUrl({ response_type: 'code', client_id: PUBLIC, redirect_uri: REDIRECT, code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }));
    check(new URL(r2.headers.get('location')).searchParams.get('error') === 'invalid_request', 'plain refused');
  });

  await test('wrong password: the form again with the message and the username kept', async () => {
    const { res } = await formSignIn('alice', 'wrong-password');
    check(res.status === 200 && !res.headers.get('location'), 'no redirect', res.status);
    check(res.text.includes('Incorrect username or password.'), 'message');
    check(res.text.includes('value="alice"'), 'username kept');
    const { res: r2 } = await formSignIn('mallory', 'x');
    check(r2.status === 200 && r2.text.includes('Incorrect username or password.'), 'unknown user, same message');
  });

  // --- code flow --------------------------------------------------------------

  let aliceTokens;
  await test('alice: form sign-in, code + PKCE exchange, Cognito-shaped tokens', async () => {
    const { verifier, challenge } = pkce();
    const { code, nonce } = await codeFor('alice', alice.password, { challenge });
    check(/^[0-9a-f-]{36}$/.test(code), 'code looks like a UUID', code);
    const r = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: PUBLIC, code, redirect_uri: REDIRECT, code_verifier: verifier } });
    check(r.status === 200, 'status', r.text);
    check(r.headers.get('cache-control') === 'no-store', 'no-store');
    const t = r.data;
    check(t.access_token && t.id_token && t.refresh_token && t.token_type === 'Bearer' && t.expires_in === 3600, 'fields', Object.keys(t));
    const { payload: at, protectedHeader: ah } = await jose.jwtVerify(t.access_token, jwks, { issuer: info.issuer, algorithms: ['RS256'] });
    check(ah.kid && ah.alg === 'RS256', 'header kid/alg', ah);
    check(at.token_use === 'access' && at.client_id === PUBLIC && at.username === 'alice' && at.sub === alice.sub, 'access claims', at);
    check(at.scope === 'openid email profile', 'scope', at.scope);
    check(JSON.stringify(at['cognito:groups']) === '["editors"]', 'groups', at['cognito:groups']);
    for (const c of ['origin_jti', 'event_id', 'auth_time', 'exp', 'iat', 'jti']) check(at[c] !== undefined, `access has ${c}`);
    check(at.aud === undefined && at.nbf === undefined, 'no aud/nbf in access token');
    const { payload: it } = await jose.jwtVerify(t.id_token, jwks, { issuer: info.issuer, audience: PUBLIC, algorithms: ['RS256'] });
    check(it.token_use === 'id' && it['cognito:username'] === 'alice' && it.email === 'alice@example.com' && it.email_verified === true, 'id claims', it);
    check(it.nonce === nonce, 'nonce', it.nonce);
    check(it.origin_jti === at.origin_jti && it.event_id === at.event_id, 'same origin');
    check(it.at_hash === createHash('sha256').update(t.access_token).digest().subarray(0, 16).toString('base64url'), 'at_hash');
    aliceTokens = t;
  });

  await test('code is single-use; verifier, redirect_uri and client are enforced', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await codeFor('alice', alice.password, { challenge });
    const ok = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: PUBLIC, code, redirect_uri: REDIRECT, code_verifier: verifier } });
    check(ok.status === 200, 'first use', ok.text);
    const again = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: PUBLIC, code, redirect_uri: REDIRECT, code_verifier: verifier } });
    check(again.status === 400 && again.data.error === 'invalid_grant', 'reuse', again.text);

    const c2 = await codeFor('alice', alice.password, { challenge });
    const bad = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: PUBLIC, code: c2.code, redirect_uri: REDIRECT, code_verifier: pkce().verifier } });
    check(bad.status === 400 && bad.data.error === 'invalid_grant', 'wrong verifier', bad.text);

    const c3 = await codeFor('alice', alice.password, { challenge });
    const none = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: PUBLIC, code: c3.code, redirect_uri: REDIRECT } });
    check(none.status === 400 && none.data.error === 'invalid_grant', 'missing verifier', none.text);

    const c4 = await codeFor('alice', alice.password, { challenge });
    const mism = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: PUBLIC, code: c4.code, redirect_uri: 'http://localhost:5080/signin-oidc', code_verifier: verifier } });
    check(mism.status === 400 && mism.data.error === 'invalid_grant', 'redirect_uri mismatch', mism.text);

    const c5 = await codeFor('alice', alice.password, { challenge });
    const other = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: SHORT, code: c5.code, redirect_uri: REDIRECT, code_verifier: verifier } });
    check(other.status === 400 && other.data.error === 'invalid_grant', 'other client', other.text);
  });

  await test('token endpoint errors: unsupported grant, unknown client, bad content type', async () => {
    const g = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'password', client_id: PUBLIC } });
    check(g.status === 400 && g.data.error === 'unsupported_grant_type', 'grant', g.text);
    const c = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: 'nope', code: 'x' } });
    check(c.status === 401 && c.data.error === 'invalid_client', 'client', c.text);
    const j = await http('POST', `${idp}/oauth2/token`, { json: { grant_type: 'authorization_code' } });
    check(j.status === 400 && j.data.error === 'invalid_request', 'json body', j.text);
    const m = await http('POST', `${idp}/oauth2/token`, { form: { client_id: PUBLIC } });
    check(m.status === 400 && m.data.error === 'invalid_request', 'no grant_type', m.text);
  });

  await test('confidential client: HTTP Basic or body secret; wrong or missing secret is invalid_client', async () => {
    const t = await signIn('bob', bob.password, { clientId: CONFIDENTIAL, secret: SECRET });
    const { payload } = await jose.jwtVerify(t.access_token, jwks, { issuer: info.issuer });
    check(payload.client_id === CONFIDENTIAL && payload['cognito:groups'] === undefined, 'bob has no groups claim', payload);
    const { verifier, challenge } = pkce();
    const { code } = await codeFor('bob', bob.password, { clientId: CONFIDENTIAL, challenge });
    const wrong = await http('POST', `${idp}/oauth2/token`, {
      form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      headers: { authorization: 'Basic ' + Buffer.from(`${CONFIDENTIAL}:nope`).toString('base64') },
    });
    check(wrong.status === 401 && wrong.data.error === 'invalid_client', 'wrong secret', wrong.text);
    const missing = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: CONFIDENTIAL, code, redirect_uri: REDIRECT, code_verifier: verifier } });
    check(missing.status === 401 && missing.data.error === 'invalid_client', 'missing secret', missing.text);
    const { verifier: v2, challenge: ch2 } = pkce();
    const { code: code2 } = await codeFor('bob', bob.password, { clientId: CONFIDENTIAL, challenge: ch2 });
    const post = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: CONFIDENTIAL, client_secret: SECRET, code: code2, redirect_uri: REDIRECT, code_verifier: v2 } });
    check(post.status === 200, 'client_secret_post', post.text);
  });

  await test('userInfo answers for a valid access token only', async () => {
    const r = await http('GET', `${idp}/oauth2/userInfo`, { headers: { authorization: `Bearer ${aliceTokens.access_token}` } });
    check(r.status === 200 && r.data.sub === alice.sub && r.data.username === 'alice' && r.data.email === 'alice@example.com' && r.data.email_verified === 'true', 'body', r.text);
    const none = await http('GET', `${idp}/oauth2/userInfo`);
    check(none.status === 401, 'no token', none.status);
    const idt = await http('GET', `${idp}/oauth2/userInfo`, { headers: { authorization: `Bearer ${aliceTokens.id_token}` } });
    check(idt.status === 401, 'id token refused', idt.status);
  });

  await test('refresh grant returns new access and ID tokens, no new refresh token', async () => {
    const r = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: aliceTokens.refresh_token } });
    check(r.status === 200 && r.data.access_token && r.data.id_token && r.data.refresh_token === undefined, 'body', r.text);
    check(r.data.access_token !== aliceTokens.access_token, 'new access token');
    const { payload } = await jose.jwtVerify(r.data.id_token, jwks, { issuer: info.issuer, audience: PUBLIC });
    check(payload.nonce === undefined, 'no nonce on refresh');
    const { payload: at } = await jose.jwtVerify(r.data.access_token, jwks, { issuer: info.issuer });
    check(at.origin_jti === jose.decodeJwt(aliceTokens.access_token).origin_jti, 'same origin_jti');
    const wrongClient = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'refresh_token', client_id: SHORT, refresh_token: aliceTokens.refresh_token } });
    check(wrongClient.status === 400 && wrongClient.data.error === 'invalid_grant', 'other client', wrongClient.text);
  });

  await test('revoke: refresh token (and its access tokens at userInfo) stop working', async () => {
    const t = await signIn('alice', alice.password);
    const r = await http('POST', `${idp}/oauth2/revoke`, { form: { token: t.refresh_token, client_id: PUBLIC } });
    check(r.status === 200, 'revoke status', r.status);
    const after = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: t.refresh_token } });
    check(after.status === 400 && after.data.error === 'invalid_grant', 'refresh after revoke', after.text);
    const ui = await http('GET', `${idp}/oauth2/userInfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
    check(ui.status === 401, 'userInfo after revoke', ui.status);
    const jwt = await http('POST', `${idp}/oauth2/revoke`, { form: { token: t.access_token, client_id: PUBLIC } });
    check(jwt.status === 400 && jwt.data.error === 'unsupported_token_type', 'access token not revocable', jwt.text);
  });

  await test('logout redirects to an allowed logout_uri only', async () => {
    const ok = await http('GET', `${idp}/logout?client_id=${PUBLIC}&logout_uri=${encodeURIComponent('http://127.0.0.1:5080/Account/SignedOut')}`);
    check(ok.status === 302 && ok.headers.get('location') === 'http://127.0.0.1:5080/Account/SignedOut', 'redirect', ok.status);
    const bad = await http('GET', `${idp}/logout?client_id=${PUBLIC}&logout_uri=${encodeURIComponent('https://evil.example/')}`);
    check(bad.status === 400 && !bad.headers.get('location'), 'refused', bad.status);
  });

  await test('browser session: second authorize signs straight in; logout ends the session', async () => {
    const { res } = await formSignIn('alice', alice.password);
    const cookie = res.headers.get('set-cookie').split(';')[0];
    const again = await http('GET', await authorizeUrl({ response_type: 'code', client_id: PUBLIC, redirect_uri: REDIRECT, state: 'z' }), { headers: { cookie } });
    check(again.status === 302 && new URL(again.headers.get('location')).searchParams.get('code'), 'SSO redirect', again.status);
    const forced = await http('GET', await authorizeUrl({ response_type: 'code', client_id: PUBLIC, redirect_uri: REDIRECT, prompt: 'login' }), { headers: { cookie } });
    check(forced.status === 200, 'prompt=login shows the form', forced.status);
    await http('GET', `${idp}/logout?client_id=${PUBLIC}&logout_uri=${encodeURIComponent('http://127.0.0.1:5080/Account/SignedOut')}`, { headers: { cookie } });
    const after = await http('GET', await authorizeUrl({ response_type: 'code', client_id: PUBLIC, redirect_uri: REDIRECT }), { headers: { cookie } });
    check(after.status === 200, 'form after logout', after.status);
  });

  // --- AppSync ----------------------------------------------------------------

  const GET = 'query Get($id: ID!) { getMyObject(id: $id) { id name date } }';
  const LIST = 'query List($limit: Int, $nextToken: String) { listMyObjects(limit: $limit, nextToken: $nextToken) { items { id name date } nextToken } }';
  const UPDATE = 'mutation Update($id: ID!, $name: String!) { updateMyObject(id: $id, name: $name) { id name date } }';
  const UNAUTH = '{"errors":[{"errorType":"UnauthorizedException","message":"Valid authorization header not provided."}]}';

  await test('AppSync: getMyObject with alice\'s access token', async () => {
    const r = await gql(aliceTokens.access_token, GET, { id: '1234567890abcdef' });
    check(r.status === 200 && !r.data.errors, 'status', r.text);
    check(JSON.stringify(r.data.data.getMyObject) === JSON.stringify({ id: '1234567890abcdef', name: 'My first object', date: '2026-01-15T09:30:00Z' }), 'object', r.text);
    const miss = await gql(aliceTokens.access_token, GET, { id: 'does-not-exist' });
    check(miss.status === 200 && miss.data.data.getMyObject === null && !miss.data.errors, 'unknown id is null', miss.text);
  });

  await test('AppSync: no, expired, forged, ID and Bearer-prefixed tokens get 401 UnauthorizedException', async () => {
    const none = await gql(null, GET, { id: '1234567890abcdef' });
    check(none.status === 401 && none.text === UNAUTH, 'no token', `${none.status} ${none.text}`);
    const expired = await mint('alice', { expires_in: -30 });
    const e = await gql(expired.access_token, GET, { id: '1234567890abcdef' });
    check(e.status === 401 && e.data.errors[0].errorType === 'UnauthorizedException', 'expired', e.text);
    // Same claims and kid, signed with another key.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const claims = jose.decodeJwt(aliceTokens.access_token);
    const header = jose.decodeProtectedHeader(aliceTokens.access_token);
    const forged = await new jose.SignJWT(claims).setProtectedHeader(header).sign(privateKey);
    const f = await gql(forged, GET, { id: '1234567890abcdef' });
    check(f.status === 401 && f.text === UNAUTH, 'forged', f.text);
    const unsigned = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.`;
    const u = await gql(unsigned, GET, { id: '1234567890abcdef' });
    check(u.status === 401, 'alg none', u.text);
    const i = await gql(aliceTokens.id_token, GET, { id: '1234567890abcdef' });
    check(i.status === 401, 'id token', i.text);
    const b = await gql(`Bearer ${aliceTokens.access_token}`, GET, { id: '1234567890abcdef' });
    check(b.status === 401, 'Bearer prefix', b.text);
  });

  await test('AppSync: listMyObjects paginates with an opaque nextToken', async () => {
    const seen = [];
    let next = null;
    let pages = 0;
    do {
      const r = await gql(aliceTokens.access_token, LIST, { nextToken: next });
      check(r.status === 200 && !r.data.errors, 'page', r.text);
      const c = r.data.data.listMyObjects;
      check(c.items.length <= 10, 'default limit 10');
      seen.push(...c.items.map((o) => o.id));
      next = c.nextToken;
      pages++;
    } while (next && pages < 10);
    check(pages === 3 && seen.length === 25 && new Set(seen).size === 25, 'all 25 objects in 3 pages', { pages, n: seen.length });
    check(seen[0] === '1234567890abcdef', 'stable order');
    const five = await gql(aliceTokens.access_token, LIST, { limit: 5 });
    check(five.data.data.listMyObjects.items.length === 5 && JSON.stringify(five.data.data.listMyObjects.items.map((o) => o.id)) === JSON.stringify(seen.slice(0, 5)), 'limit 5');
    const all = await gql(aliceTokens.access_token, LIST, { limit: 100 });
    check(all.data.data.listMyObjects.items.length === 25 && all.data.data.listMyObjects.nextToken === null, 'last page has null nextToken');
    for (const limit of [0, 101]) {
      const r = await gql(aliceTokens.access_token, LIST, { limit });
      check(r.data.data === null && r.data.errors?.[0]?.errorType === 'BadRequestException', `limit ${limit} refused`, r.text);
    }
    const bad = await gql(aliceTokens.access_token, LIST, { nextToken: 'not-a-token' });
    check(bad.status === 200 && bad.data.errors?.length === 1 && bad.data.errors[0].errorType === 'BadRequestException' && bad.data.data === null, 'invalid nextToken is a GraphQL error', bad.text);
    // An edited token (one character of the DynamoDB position changed) is refused, not followed.
    const first = (await gql(aliceTokens.access_token, LIST, { limit: 5 })).data.data.listMyObjects.nextToken;
    const edited = `${first.slice(0, 10)}${first[10] === 'A' ? 'B' : 'A'}${first.slice(11)}`;
    const e = await gql(aliceTokens.access_token, LIST, { limit: 5, nextToken: edited });
    check(e.data.data === null && e.data.errors?.[0]?.errorType === 'BadRequestException', 'edited nextToken refused', e.text);
    // Alice's token does not continue bob's list.
    const foreign = await gql((await mint('bob')).access_token, LIST, { limit: 5, nextToken: first });
    check(foreign.data.data === null && foreign.data.errors?.[0]?.errorType === 'BadRequestException', "another user's nextToken refused", foreign.text);
  });

  await test('AppSync: objects are their owner\'s: bob lists his 3, gets null for alice\'s, creates and deletes his own only', async () => {
    const bob = (await mint('bob')).access_token;
    const list = await gql(bob, LIST, { limit: 100 });
    check(list.data.data.listMyObjects.items.length === 3 && !list.data.data.listMyObjects.items.some((o) => o.id === '1234567890abcdef'), 'bob lists his own', list.text);
    const get = await gql(bob, GET, { id: '1234567890abcdef' });
    check(get.data.data.getMyObject === null && !get.data.errors, "alice's object is null for bob", get.text);
    const DELETE = 'mutation Delete($id: ID!) { deleteMyObject(id: $id) { id } }';
    const del = await gql(bob, DELETE, { id: '1234567890abcdef' });
    check(del.data.data.deleteMyObject === null && del.data.errors?.[0]?.errorType === 'NotFoundException', "bob cannot delete alice's", del.text);
    const created = await gql(bob, 'mutation Create($name: String!) { createMyObject(name: $name) { id name date } }', { name: 'Made by bob' });
    const id = created.data.data?.createMyObject?.id;
    check(id && created.data.data.createMyObject.name === 'Made by bob', 'created', created.text);
    const forAlice = await gql(aliceTokens.access_token, GET, { id });
    check(forAlice.data.data.getMyObject === null, "bob's new object is not alice's");
    const gone = await gql(bob, DELETE, { id });
    check(gone.data.data.deleteMyObject?.id === id, 'bob deletes his own', gone.text);
    const blank = await gql(bob, 'mutation Create($name: String!) { createMyObject(name: $name) { id } }', { name: 'tab\there' });
    check(blank.data.data.createMyObject === null && blank.data.errors?.[0]?.errorType === 'BadRequestException', 'control characters refused', blank.text);
    const reset = await http('POST', `${info.appsync.replace(/\/graphql$/, '')}/_local/reset`);
    check(reset.status === 200, 'reset', reset.text);
  });

  await test('AppSync: bob may not updateMyObject (group editors); alice may; reset restores seed', async () => {
    const b = await gql((await mint('bob')).access_token, UPDATE, { id: '1234567890abcdef', name: 'bob was here' });
    check(b.status === 200 && b.data.data.updateMyObject === null && b.data.errors?.[0]?.errorType === 'Unauthorized', 'bob refused', b.text);
    const a = await gql(aliceTokens.access_token, UPDATE, { id: '1234567890abcdef', name: 'Renamed by alice' });
    check(a.status === 200 && a.data.data.updateMyObject.name === 'Renamed by alice', 'alice', a.text);
    const g = await gql(aliceTokens.access_token, GET, { id: '1234567890abcdef' });
    check(g.data.data.getMyObject.name === 'Renamed by alice', 'persisted');
    const nf = await gql(aliceTokens.access_token, UPDATE, { id: 'nope', name: 'x' });
    check(nf.data.data.updateMyObject === null && nf.data.errors?.[0]?.errorType === 'NotFoundException', 'unknown id', nf.text);
    const appsyncBase = info.appsync.replace(/\/graphql$/, '');
    const reset = await http('POST', `${appsyncBase}/_local/reset`);
    check(reset.status === 200, 'reset', reset.text);
    const g2 = await gql(aliceTokens.access_token, GET, { id: '1234567890abcdef' });
    check(g2.data.data.getMyObject.name === 'My first object', 'seed restored', g2.text);
  });

  await test('AppSync: a non-JSON body is refused with 400, not the simulator\'s 200', async () => {
    const r = await http('POST', info.appsync, { body: '{ getMyObject(id: "1234567890abcdef") { name } }', headers: { 'content-type': 'application/graphql', authorization: aliceTokens.access_token } });
    check(r.status === 400 && r.data.errors?.[0]?.errorType === 'MalformedHttpRequestException', 'status', r.text);
  });

  await test('short-lived client: tokens expire after 5 s, AppSync refuses, refresh recovers', async () => {
    const t = await signIn('alice', alice.password, { clientId: SHORT });
    check(t.expires_in === 5, 'expires_in 5', t.expires_in);
    const ok = await gql(t.access_token, GET, { id: '1234567890abcdef' });
    check(ok.status === 200, 'fresh token works', ok.text);
    await new Promise((r) => setTimeout(r, 6000));
    const late = await gql(t.access_token, GET, { id: '1234567890abcdef' });
    check(late.status === 401, 'expired token refused', late.text);
    const r = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'refresh_token', client_id: SHORT, refresh_token: t.refresh_token } });
    check(r.status === 200, 'refresh', r.text);
    const again = await gql(r.data.access_token, GET, { id: '1234567890abcdef' });
    check(again.status === 200 && again.data.data.getMyObject, 'refreshed token works', again.text);
  });

  // --- Cognito Identity ---------------------------------------------------------

  let aliceIdentityId;
  let aliceCredentials;
  await test('GetId: same IdentityId for alice every time, another for bob', async () => {
    const body = { AccountId: info.accountId, IdentityPoolId: info.identityPoolId, Logins: logins(aliceTokens.id_token) };
    const r1 = await identityCall('GetId', body);
    check(r1.status === 200 && /^us-east-1:[0-9a-f-]{36}$/.test(r1.data.IdentityId), 'first', r1.text);
    check(r1.headers.get('content-type').startsWith('application/x-amz-json-1.1'), 'content type');
    const fresh = await signIn('alice', alice.password);
    const r2 = await identityCall('GetId', { IdentityPoolId: info.identityPoolId, Logins: logins(fresh.id_token) });
    check(r2.data.IdentityId === r1.data.IdentityId, 'same id with a new sign-in', [r1.data, r2.data]);
    const rb = await identityCall('GetId', { IdentityPoolId: info.identityPoolId, Logins: logins((await mint('bob')).id_token) });
    check(rb.status === 200 && rb.data.IdentityId !== r1.data.IdentityId, 'bob differs', rb.text);
    // Derived from the user, so the same after a restart (README documents it).
    check(r1.data.IdentityId === 'us-east-1:99202b15-60a8-5a28-b11b-cebbb5a21f43', 'alice\'s documented IdentityId', r1.data.IdentityId);
    aliceIdentityId = r1.data.IdentityId;
  });

  await test('GetCredentialsForIdentity: AWS-shaped credentials for the token\'s own identity', async () => {
    const r = await identityCall('GetCredentialsForIdentity', { IdentityId: aliceIdentityId, Logins: logins(aliceTokens.id_token) });
    check(r.status === 200 && r.data.IdentityId === aliceIdentityId, 'status', r.text);
    const c = r.data.Credentials;
    check(/^ASIA[A-Z0-9]{16}$/.test(c.AccessKeyId) && c.SecretKey && c.SessionToken && c.SecretAccessKey === undefined, 'fields', c);
    check(typeof c.Expiration === 'number' && Math.abs(c.Expiration - (Date.now() / 1000 + 3600)) < 60, 'Expiration epoch seconds ~1 h', c.Expiration);
    check(/"Expiration":\d+(\.\d+)?[,}]/.test(r.text), 'Expiration is a JSON number');
    aliceCredentials = c;
    const bobId = (await identityCall('GetId', { IdentityPoolId: info.identityPoolId, Logins: logins((await mint('bob')).id_token) })).data.IdentityId;
    const cross = await identityCall('GetCredentialsForIdentity', { IdentityId: bobId, Logins: logins(aliceTokens.id_token) });
    check(cross.status === 400 && cross.data.__type === 'NotAuthorizedException', 'alice cannot take bob\'s identity', cross.text);
  });

  await test('identity pool refuses forged, expired, access and foreign tokens (NotAuthorizedException)', async () => {
    const expectNotAuthorized = async (token, fragment, what) => {
      const r = await identityCall('GetId', { IdentityPoolId: info.identityPoolId, Logins: logins(token) });
      check(r.status === 400 && r.data.__type === 'NotAuthorizedException' && r.headers.get('x-amzn-errortype') === 'NotAuthorizedException', what, r.text);
      check(r.data.message.includes(fragment), `${what} message`, r.data.message);
    };
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new jose.SignJWT(jose.decodeJwt(aliceTokens.id_token)).setProtectedHeader(jose.decodeProtectedHeader(aliceTokens.id_token)).sign(privateKey);
    await expectNotAuthorized(forged, "Couldn't verify signed token", 'forged');
    await expectNotAuthorized((await mint('alice', { expires_in: -5 })).id_token, 'Token expired', 'expired');
    await expectNotAuthorized(aliceTokens.access_token, 'Invalid login token', 'access token');
    await expectNotAuthorized('not-a-jwt', 'Not a valid OpenId Connect identity token', 'garbage');
    const wrongKey = await identityCall('GetId', { IdentityPoolId: info.identityPoolId, Logins: { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Other': aliceTokens.id_token } });
    check(wrongKey.status === 400 && wrongKey.data.__type === 'NotAuthorizedException', 'other provider', wrongKey.text);
    const noLogins = await identityCall('GetId', { IdentityPoolId: info.identityPoolId });
    check(noLogins.status === 400 && noLogins.data.__type === 'NotAuthorizedException', 'no Logins', noLogins.text);
  });

  await test('identity pool protocol errors: unknown pool, bad JSON, unknown target', async () => {
    const pool = await identityCall('GetId', { IdentityPoolId: 'us-east-1:11111111-1111-4111-8111-111111111111', Logins: logins(aliceTokens.id_token) });
    check(pool.status === 400 && pool.data.__type === 'ResourceNotFoundException', 'unknown pool', pool.text);
    const json = await identityCall('GetId', '{not json');
    check(json.status === 400 && json.data.__type === 'SerializationException', 'bad json', json.text);
    const target = await identityCall('ListIdentityPools', {});
    check(target.status === 400 && target.data.__type === 'UnknownOperationException', 'unknown target', target.text);
  });

  await test('identity test hooks: fail-next then recover; stats count calls', async () => {
    const hook = await http('POST', `${info.identity}/_local/fail-next`, { json: { type: 'TooManyRequestsException', status: 400, count: 2, target: 'GetId' } });
    check(hook.status === 200, 'hook', hook.text);
    const body = { IdentityPoolId: info.identityPoolId, Logins: logins(aliceTokens.id_token) };
    for (let i = 0; i < 2; i++) {
      const r = await identityCall('GetId', body);
      check(r.status === 400 && r.data.__type === 'TooManyRequestsException', `failure ${i + 1}`, r.text);
    }
    const ok = await identityCall('GetId', body);
    check(ok.status === 200 && ok.data.IdentityId === aliceIdentityId, 'recovered', ok.text);
    const stats = await http('GET', `${info.identity}/_local/stats`);
    check(stats.data.GetId >= 3, 'stats', stats.text);
  });

  // --- S3 (the front before moto) with the identity pool's credentials ----------
  const setupCredentials = { AccessKeyId: info.s3SetupKey.accessKeyId, SecretKey: info.s3SetupKey.secretAccessKey };

  await test('S3: signed PUT and ListObjectsV2 under private/<identityId>/ with the returned credentials', async () => {
    const key = `private/${aliceIdentityId}/selfcheck.txt`;
    const put = await s3Signed('PUT', info.s3, `/${info.bucket}/${key}`, {}, 'hello from selfcheck', aliceCredentials, info.region);
    check(put.status === 200, 'put', put.text);
    const list = await s3Signed('GET', info.s3, `/${info.bucket}`, { 'list-type': '2', prefix: `private/${aliceIdentityId}/` }, '', aliceCredentials, info.region);
    check(list.status === 200 && list.text.includes(`<Key>${key}</Key>`), 'list', list.text.slice(0, 400));
    const get = await s3Signed('GET', info.s3, `/${info.bucket}/${key}`, {}, '', aliceCredentials, info.region);
    check(get.status === 200 && get.text === 'hello from selfcheck', 'get', get.text);
  });

  await test('S3 front: unsigned, forged, unknown-key and wrong-token requests get S3\'s own errors', async () => {
    const key = `private/${aliceIdentityId}/selfcheck.txt`;
    const unsigned = await http('GET', `${info.s3}/${info.bucket}/${key}`);
    check(unsigned.status === 403 && unsigned.text.includes('<Code>AccessDenied</Code>'), 'unsigned', unsigned.text);
    const forged = await s3Signed('GET', info.s3, `/${info.bucket}/${key}`, {}, '', { ...aliceCredentials, SecretKey: 'forged' }, info.region);
    check(forged.status === 403 && forged.text.includes('<Code>SignatureDoesNotMatch</Code>'), 'forged signature', forged.text);
    const unknown = await s3Signed('GET', info.s3, `/${info.bucket}/${key}`, {}, '', { ...aliceCredentials, AccessKeyId: 'ASIANEVERISSUED0000' }, info.region);
    check(unknown.status === 403 && unknown.text.includes('<Code>InvalidAccessKeyId</Code>'), 'unknown key', unknown.text);
    const token = await s3Signed('GET', info.s3, `/${info.bucket}/${key}`, {}, '', { ...aliceCredentials, SessionToken: 'x' }, info.region);
    check(token.status === 400 && token.text.includes('<Code>InvalidToken</Code>'), 'wrong session token', token.text);
  });

  await test('S3 front: the template\'s policy keeps alice out of the root, private/ and other folders', async () => {
    const other = `private/${info.region}:00000000-0000-4000-8000-000000000000/`;
    for (const prefix of [undefined, 'private/', other]) {
      const list = await s3Signed('GET', info.s3, `/${info.bucket}`, { 'list-type': '2', ...(prefix === undefined ? {} : { prefix }) }, '', aliceCredentials, info.region);
      check(list.status === 403 && list.text.includes('<Code>AccessDenied</Code>'), `list ${prefix ?? '(no prefix)'}`, list.text);
    }
    for (const key of ['root.txt', 'private/x.txt', `${other}x.txt`]) {
      const put = await s3Signed('PUT', info.s3, `/${info.bucket}/${key}`, {}, 'x', aliceCredentials, info.region);
      check(put.status === 403 && put.text.includes('<Code>AccessDenied</Code>'), `put ${key}`, put.text);
    }
  });

  await test('S3 front: missing key is 403 to alice, 404 to the set-up key; If-None-Match: * is 412; GET overrides apply', async () => {
    const missing = `private/${aliceIdentityId}/missing.txt`;
    const asAlice = await s3Signed('GET', info.s3, `/${info.bucket}/${missing}`, {}, '', aliceCredentials, info.region);
    check(asAlice.status === 403, 'alice gets 403 (no s3:ListBucket without s3:prefix)', asAlice.text);
    const asOwner = await s3Signed('GET', info.s3, `/${info.bucket}/${missing}`, {}, '', setupCredentials, info.region);
    check(asOwner.status === 404 && asOwner.text.includes('<Code>NoSuchKey</Code>'), 'owner gets 404', asOwner.text);
    const key = `private/${aliceIdentityId}/selfcheck.txt`;
    const again = await s3Signed('PUT', info.s3, `/${info.bucket}/${key}`, {}, 'again', aliceCredentials, info.region, { 'if-none-match': '*' });
    check(again.status === 412 && again.text.includes('<Code>PreconditionFailed</Code>'), 'conditional write', again.text);
    const get = await s3Signed('GET', info.s3, `/${info.bucket}/${key}`, { 'response-content-disposition': 'attachment; filename="s.txt"' }, '', aliceCredentials, info.region);
    check(get.status === 200 && get.headers.get('content-disposition') === 'attachment; filename="s.txt"', 'override', get.headers.get('content-disposition'));
    // moto alone would store an empty object for a form content type; the front keeps body and type.
    const formKey = `private/${aliceIdentityId}/form.txt`;
    const form = await s3Signed('PUT', info.s3, `/${info.bucket}/${formKey}`, {}, 'a=1&b=2', aliceCredentials, info.region, { 'content-type': 'application/x-www-form-urlencoded' });
    check(form.status === 200, 'form-typed put', form.text);
    const back = await s3Signed('GET', info.s3, `/${info.bucket}/${formKey}`, {}, '', aliceCredentials, info.region);
    check(back.text === 'a=1&b=2' && back.headers.get('content-type') === 'application/x-www-form-urlencoded', 'form-typed body and type kept', `${back.text} ${back.headers.get('content-type')}`);
  });

  await test('S3 front: pause holds requests until resume (a stalled S3 for timeout tests)', async () => {
    check((await http('POST', `${info.s3}/_local/pause`)).status === 200, 'pause');
    const held = s3Signed('GET', info.s3, `/${info.bucket}`, { 'list-type': '2', prefix: `private/${aliceIdentityId}/` }, '', aliceCredentials, info.region);
    const early = await Promise.race([held.then(() => 'answered'), new Promise((r) => setTimeout(() => r('held'), 500))]);
    check(early === 'held', 'held while paused', early);
    check((await http('POST', `${info.s3}/_local/resume`)).status === 200, 'resume');
    check((await held).status === 200, 'answered after resume');
  });

  await test('DynamoDB front: alice keeps her own notes; another partition, a Scan and bad keys get DynamoDB errors', async () => {
    check(info.dynamodb === info.s3 && info.notesTable === 'cleancognito-local-notes', 'READY has dynamodb and notesTable', JSON.stringify({ dynamodb: info.dynamodb, notesTable: info.notesTable }));
    const note = (owner) => ({ ownerId: { S: owner }, noteId: { S: '20261206T0000000000000Z-selfchek' }, text: { S: 'hi' } });
    const put = await dynamoDbSigned('PutItem', { TableName: info.notesTable, Item: note(aliceIdentityId) }, aliceCredentials, info);
    check(put.status === 200, 'own PutItem', put.text);
    const query = await dynamoDbSigned('Query', { TableName: info.notesTable, KeyConditionExpression: 'ownerId = :o', ExpressionAttributeValues: { ':o': { S: aliceIdentityId } } }, aliceCredentials, info);
    check(query.status === 200 && JSON.parse(query.text).Count === 1, 'own Query', query.text);
    const other = 'us-east-1:00000000-0000-4000-8000-000000000001';
    for (const [op, body] of [['GetItem', { TableName: info.notesTable, Key: { ownerId: { S: other }, noteId: { S: 'x' } } }], ['PutItem', { TableName: info.notesTable, Item: note(other) }], ['Scan', { TableName: info.notesTable }]]) {
      const r = await dynamoDbSigned(op, body, aliceCredentials, info);
      check(r.status === 400 && JSON.parse(r.text).__type === 'com.amazon.coral.service#AccessDeniedException', `${op} refused`, r.text);
    }
    const forged = await dynamoDbSigned('Scan', { TableName: info.notesTable }, { ...aliceCredentials, SecretKey: 'forged' }, info);
    check(forged.status === 400 && JSON.parse(forged.text).__type.endsWith('#InvalidSignatureException'), 'forged signature', forged.text);
    const unknown = await dynamoDbSigned('Scan', { TableName: info.notesTable }, { ...aliceCredentials, AccessKeyId: 'ASIANEVERISSUED0000' }, info);
    check(unknown.status === 400 && JSON.parse(unknown.text).__type.endsWith('#UnrecognizedClientException'), 'unknown key', unknown.text);
  });

  await test('reset-all empties the bucket (and re-creates it) and restores every piece', async () => {
    const r = await http('POST', `${idp}/_local/reset-all`);
    check(r.status === 200 && JSON.stringify(r.data.reset) === '["idp","appsync","identity","s3","dynamodb"]', 'reset-all', r.text);
    const list = await s3Signed('GET', info.s3, `/${info.bucket}`, { 'list-type': '2' }, '', setupCredentials, info.region);
    check(list.status === 200 && list.text.includes('<KeyCount>0</KeyCount>'), 'empty bucket', list.text.slice(0, 300));
    const refresh = await http('POST', `${idp}/oauth2/token`, { form: { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: aliceTokens.refresh_token } });
    check(refresh.status === 400 && refresh.data.error === 'invalid_grant', 'refresh tokens forgotten', refresh.text);
  });
}

// Minimal SigV4 for S3 (path-style), enough to prove the credentials' shape works.
/** A SigV4-signed DynamoDB JSON 1.0 call through the front. */
async function dynamoDbSigned(operation, input, creds, info) {
  const url = new URL(info.dynamodb);
  const body = JSON.stringify(input);
  const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const headers = { 'content-type': 'application/x-amz-json-1.0', host: url.host, 'x-amz-date': amzDate, 'x-amz-target': `DynamoDB_20120810.${operation}`, ...(creds.SessionToken ? { 'x-amz-security-token': creds.SessionToken } : {}) };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', '/', '', names.map((k) => `${k}:${headers[k]}\n`).join(''), names.join(';'), payloadHash].join('\n');
  const scope = `${date}/${info.region}/dynamodb/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const hmac = (k, s) => createHmac('sha256', k).update(s).digest();
  const kSigning = hmac(hmac(hmac(hmac(`AWS4${creds.SecretKey}`, date), info.region), 'dynamodb'), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(toSign).digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${creds.AccessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  const res = await fetch(`${info.dynamodb}/`, { method: 'POST', headers: { ...headers, authorization }, body });
  return { status: res.status, text: await res.text() };
}

async function s3Signed(method, endpoint, pathname, query, body, creds, region, extraHeaders = {}) {
  const url = new URL(endpoint);
  const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonicalPath = pathname.split('/').map(enc).join('/');
  const canonicalQuery = Object.keys(query).sort().map((k) => `${enc(k)}=${enc(query[k])}`).join('&');
  const headers = { host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate, ...(creds.SessionToken ? { 'x-amz-security-token': creds.SessionToken } : {}), ...extraHeaders };
  const signedHeaders = Object.keys(headers).sort().join(';');
  const canonicalHeaders = Object.keys(headers).sort().map((k) => `${k}:${headers[k]}\n`).join('');
  const canonical = [method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const hmac = (k, s) => createHmac('sha256', k).update(s).digest();
  const kSigning = hmac(hmac(hmac(hmac(`AWS4${creds.SecretKey}`, date), region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(toSign).digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${creds.AccessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  const res = await fetch(`${endpoint}${canonicalPath}${canonicalQuery ? `?${canonicalQuery}` : ''}`, {
    method,
    headers: { ...headers, authorization },
    body: method === 'PUT' ? body : undefined,
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

function decodeHtml(s) {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]);
}

// ---------------------------------------------------------------------------
// Lifecycle checks (only with --start): stop paths leave nothing behind.

async function lifecycle(first) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'local-aws-selfcheck-'));
  try {
    await lifecycleChecks(first, scratch);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function lifecycleChecks(first, scratch) {
  await test('a second stack on the same ports fails fast with LOCAL_AWS_FAILED', async () => {
    const s = startStack({
      LOCAL_AWS_IDP_PORT: String(portOf(first.info.idp)),
      LOCAL_AWS_S3_PORT: '0',
      LOCAL_AWS_APPSYNC_PORT: '0',
      LOCAL_AWS_IDENTITY_PORT: '0',
      LOCAL_AWS_LOG_DIR: path.join(scratch, 'second'),
    });
    const err = await s.ready.then(() => null, (e) => e);
    const { code } = await s.exited;
    check(err && /LOCAL_AWS_FAILED .*already in use/.test(err.message) && code === 1, 'failed', `${err?.message} code ${code}`);
  });

  await test('missing moto_server fails fast with a clear message', async () => {
    const s = startStack({ LOCAL_AWS_MOTO_SERVER: '/nonexistent/moto_server', LOCAL_AWS_IDP_PORT: '0', LOCAL_AWS_APPSYNC_PORT: '0', LOCAL_AWS_IDENTITY_PORT: '0', LOCAL_AWS_S3_PORT: '0', LOCAL_AWS_LOG_DIR: path.join(scratch, 'nomoto') });
    const err = await s.ready.then(() => null, (e) => e);
    const { code } = await s.exited;
    check(err && /moto_server not found/.test(err.message) && code === 1, 'failed', `${err?.message} code ${code}`);
  });

  await test('an S3 policy template the front cannot read or resolve fails the start with its reason', async () => {
    const ports = { LOCAL_AWS_IDP_PORT: '0', LOCAL_AWS_APPSYNC_PORT: '0', LOCAL_AWS_IDENTITY_PORT: '0', LOCAL_AWS_S3_PORT: '0' };
    const missing = startStack({ ...ports, LOCAL_AWS_S3_POLICY_TEMPLATE: path.join(scratch, 'nope.yaml'), LOCAL_AWS_LOG_DIR: path.join(scratch, 'nopolicy') });
    const err = await missing.ready.then(() => null, (e) => e);
    check(err && /cannot read the IAM policy from .*nope\.yaml/.test(err.message) && (await missing.exited).code === 1, 'missing template', err?.message);
    // A policy using an intrinsic the front cannot resolve must not be half-understood.
    const template = fs.readFileSync(path.join(HERE, '..', '..', 'deploy', 'cleancognito.yaml'), 'utf8');
    const odd = template.replace('Resource: !GetAtt FilesBucket.Arn\n                Condition:', 'Resource: !ImportValue other-bucket-arn\n                Condition:');
    check(odd !== template, 'the template still has the ListOwnFiles resource this check rewrites');
    fs.writeFileSync(path.join(scratch, 'odd.yaml'), odd);
    const unresolved = startStack({ ...ports, LOCAL_AWS_S3_POLICY_TEMPLATE: path.join(scratch, 'odd.yaml'), LOCAL_AWS_LOG_DIR: path.join(scratch, 'oddpolicy') });
    const err2 = await unresolved.ready.then(() => null, (e) => e);
    check(err2 && /Fn::ImportValue .*cannot resolve/.test(err2.message) && (await unresolved.exited).code === 1, 'unresolvable intrinsic', err2?.message);
    // A DynamoDB condition key the front does not supply would be evaluated as absent (allowing).
    const attributes = template.replace('                    dynamodb:LeadingKeys:', '                    dynamodb:Attributes: [ownerId]\n                    dynamodb:LeadingKeys:');
    check(attributes !== template, 'the template still has the OwnNotesOnly condition this check rewrites');
    fs.writeFileSync(path.join(scratch, 'attributes.yaml'), attributes);
    const unsupplied = startStack({ ...ports, LOCAL_AWS_S3_POLICY_TEMPLATE: path.join(scratch, 'attributes.yaml'), LOCAL_AWS_LOG_DIR: path.join(scratch, 'attributespolicy') });
    const err3 = await unsupplied.ready.then(() => null, (e) => e);
    check(err3 && /dynamodb:Attributes, which the local DynamoDB front does not supply/.test(err3.message) && (await unsupplied.exited).code === 1, 'unsupplied condition key', err3?.message);
  });

  await test('closing stdin (--exit-with-parent) stops every piece, moto included', async () => {
    const { info } = await first.ready;
    first.child.stdin.end();
    const { code } = await first.exited;
    check(code === 0, 'exit 0', code);
    await new Promise((r) => setTimeout(r, 300));
    check(!pidAlive(info.s3Pid), 'moto_server gone', info.s3Pid);
    for (const u of [info.idp, info.appsync, info.identity, info.s3]) check(await portFree(portOf(u)), `port ${portOf(u)} free`);
  });

  await test('SIGTERM stops every piece and exits 0', async () => {
    const s = startStack({ LOCAL_AWS_IDP_PORT: '0', LOCAL_AWS_APPSYNC_PORT: '0', LOCAL_AWS_IDENTITY_PORT: '0', LOCAL_AWS_S3_PORT: '0', LOCAL_AWS_LOG_DIR: path.join(scratch, 'sigterm') }, []);
    const { info } = await s.ready;
    s.child.kill('SIGTERM');
    const { code } = await s.exited;
    check(code === 0, 'exit 0', code);
    await new Promise((r) => setTimeout(r, 300));
    check(!pidAlive(info.s3Pid), 'moto_server gone');
    for (const u of [info.idp, info.appsync, info.identity, info.s3]) check(await portFree(portOf(u)), `port ${portOf(u)} free`);
  });

  await test('SIGKILL of the stack still takes moto_server down (parent-death signal)', async () => {
    const s = startStack({ LOCAL_AWS_IDP_PORT: '0', LOCAL_AWS_APPSYNC_PORT: '0', LOCAL_AWS_IDENTITY_PORT: '0', LOCAL_AWS_S3_PORT: '0', LOCAL_AWS_LOG_DIR: path.join(scratch, 'sigkill') }, []);
    const { info } = await s.ready;
    s.child.kill('SIGKILL');
    await s.exited;
    let alive = true;
    for (let i = 0; i < 30 && alive; i++) {
      await new Promise((r) => setTimeout(r, 100));
      alive = pidAlive(info.s3Pid);
    }
    check(!alive, 'moto_server gone after SIGKILL of its parent (needs util-linux setpriv)', info.s3Pid);
  });
}

// ---------------------------------------------------------------------------

async function main() {
  let stack = null;
  let info;
  if (START) {
    const t0 = Date.now();
    stack = startStack({ LOCAL_AWS_IDP_PORT: '0', LOCAL_AWS_APPSYNC_PORT: '0', LOCAL_AWS_IDENTITY_PORT: '0', LOCAL_AWS_S3_PORT: '0' });
    ({ info } = await stack.ready);
    console.log(`# stack ready in ${Date.now() - t0} ms: ${info.idp} ${info.appsync} ${info.identity} ${info.s3}`);
    stack.info = info;
  } else {
    const cfg = loadConfig();
    const h = cfg.host;
    const idp = `http://${h}:${cfg.ports.idp}`;
    info = {
      idp,
      issuer: cfg.issuer,
      userPoolId: cfg.userPoolId,
      discovery: `${idp}/${cfg.userPoolId}/.well-known/openid-configuration`,
      jwks: `${idp}/${cfg.userPoolId}/.well-known/jwks.json`,
      appsync: `http://${h}:${cfg.ports.appsync}/graphql`,
      identity: `http://${h}:${cfg.ports.identity}`,
      s3: `http://${h}:${cfg.ports.s3}`,
      bucket: cfg.bucket,
      identityPoolId: cfg.identityPoolId,
      loginsKey: cfg.loginsKey,
      region: cfg.region,
      accountId: cfg.accountId,
      clients: Object.fromEntries(cfg.clients.map((c) => [c.role, c.id])),
      clientSecrets: Object.fromEntries(cfg.clients.filter((c) => c.secret).map((c) => [c.id, c.secret])),
      users: cfg.users,
    };
    const up = await fetch(`${idp}/_local/health`).then((r) => r.ok, () => false);
    if (!up) {
      console.log(`not ok - no stack at ${idp} (start it with: node dev/local-aws/stack.mjs, or run this with --start)`);
      console.log('0 passed, 1 failed');
      process.exit(1);
    }
  }

  try {
    await run(info);
    if (stack) await lifecycle(stack);
  } finally {
    if (stack && stack.child.exitCode === null) {
      stack.child.kill('SIGTERM');
      await stack.exited;
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.log(`not ok - selfcheck crashed: ${err.stack ?? err}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
