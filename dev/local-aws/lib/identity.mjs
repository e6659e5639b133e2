// Cognito Identity (identity pool) stand-in: the two public, unsigned
// operations of the AWS JSON 1.1 protocol the app uses.
//
//   POST /   Content-Type: application/x-amz-json-1.1
//            X-Amz-Target: AWSCognitoIdentityService.GetId | .GetCredentialsForIdentity
//
// Unlike moto's identity pools it verifies the ID token in Logins (signature,
// iss, token_use, aud, exp) and gives each user the same IdentityId on every
// call and across restarts (UUIDv5 of the token's sub), as AWS does.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, readBody, readJson, sendJson, mediaType, TestHooks, sleep } from './http.mjs';
import { TokenError } from './tokens.mjs';

const TARGET_PREFIX = 'AWSCognitoIdentityService.';
const JSON11 = 'application/x-amz-json-1.1';
// Fixed namespace for IdentityIds (a random v4 UUID chosen once for this stack).
const IDENTITY_NAMESPACE = '6f1d8a52-3c4b-4e7a-9b0d-2f5c6e8a1b3d';

export class AwsError extends Error {
  constructor(type, message, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

/** RFC 4122 version 5 (SHA-1, name-based) UUID. */
export function uuidV5(name, namespace) {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const ID_PATTERN = /^[\w-]+:[0-9a-f-]+$/;

function validationError(member, value, rule) {
  return new AwsError('ValidationException', `1 validation error detected: Value ${value === undefined || value === null ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${rule}`);
}

export function createIdentity({ config, tokens, log, onResetAll, registry }) {
  const hooks = new TestHooks();
  // POST /_local/next-credentials {ttlSeconds, count?}: shorter-lived credentials for the next calls
  // (tests of what happens near expiry without changing the whole stack's lifetime).
  let ttlRules = [];
  const clientIds = new Set(config.clients.map((c) => c.id));

  const identityIdFor = (sub) => `${config.region}:${uuidV5(`${config.identityPoolId}|${config.issuer}|${sub}`, IDENTITY_NAMESPACE)}`;
  const knownIdentityIds = () => new Set(config.users.map((u) => identityIdFor(u.sub)));

  /** Checks Logins and returns the verified ID token's claims. */
  async function verifyLogins(logins) {
    if (logins === undefined || logins === null || (typeof logins === 'object' && Object.keys(logins).length === 0)) {
      throw new AwsError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
    }
    if (typeof logins !== 'object' || Array.isArray(logins)) throw new AwsError('SerializationException', 'Logins must be a map');
    let claims = null;
    for (const [provider, token] of Object.entries(logins)) {
      if (provider !== config.loginsKey) {
        throw new AwsError('NotAuthorizedException', `Token is not from a supported provider of this identity pool.`);
      }
      claims = await verifyIdToken(token);
    }
    return claims;
  }

  async function verifyIdToken(token) {
    const invalid = (detail) => new AwsError('NotAuthorizedException', `Invalid login token. ${detail}`);
    let claims;
    try {
      claims = await tokens.verify(token);
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      switch (err.reason) {
        case 'expired':
          throw invalid(`Token expired: ${Math.floor(Date.now() / 1000)} >= ${err.payload?.exp}`);
        case 'issuer':
          throw invalid("Issuer doesn't match providerName");
        case 'signature':
          throw invalid("Couldn't verify signed token.");
        default:
          throw invalid('Not a valid OpenId Connect identity token.');
      }
    }
    if (claims.aud === undefined) throw invalid('Missing a required claim: aud');
    if (claims.token_use !== 'id') throw invalid('Not a valid OpenId Connect identity token.');
    if (!clientIds.has(claims.aud)) throw invalid('Incorrect token audience.');
    return claims;
  }

  function checkPool(body) {
    const id = body.IdentityPoolId;
    if (typeof id !== 'string' || id.length < 1 || id.length > 55 || !ID_PATTERN.test(id)) {
      throw validationError('identityPoolId', id, 'Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+');
    }
    if (id !== config.identityPoolId) throw new AwsError('ResourceNotFoundException', `IdentityPool '${id}' not found.`);
    if (body.AccountId !== undefined && body.AccountId !== null && body.AccountId !== config.accountId) {
      throw new AwsError('NotAuthorizedException', `Identity pool ${id} does not belong to account ${body.AccountId}.`);
    }
  }

  async function getId(body) {
    checkPool(body);
    const claims = await verifyLogins(body.Logins);
    const identityId = identityIdFor(claims.sub);
    log(`GetId ${claims['cognito:username'] ?? claims.sub} -> ${identityId}`);
    return { IdentityId: identityId };
  }

  async function getCredentialsForIdentity(body) {
    const id = body.IdentityId;
    if (typeof id !== 'string' || id.length < 1 || id.length > 55 || !ID_PATTERN.test(id)) {
      throw validationError('identityId', id, 'Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+');
    }
    if (!knownIdentityIds().has(id)) throw new AwsError('ResourceNotFoundException', `Identity '${id}' not found.`);
    const claims = await verifyLogins(body.Logins);
    if (identityIdFor(claims.sub) !== id) {
      throw new AwsError('NotAuthorizedException', 'Logins don\'t match. Please include at least one valid login for this identity or identity pool.');
    }
    const rule = ttlRules[0];
    if (rule && --rule.remaining === 0) ttlRules.shift();
    const ttl = rule?.ttlSeconds ?? config.credentialsTtl;
    const expiration = Math.round((Date.now() / 1000 + ttl) * 1000) / 1000;
    log(`GetCredentialsForIdentity ${id} (${claims['cognito:username'] ?? claims.sub}), ${ttl} s`);
    const credentials = {
      AccessKeyId: `ASIA${randomBytes(12).toString('base64').replace(/[^A-Z0-9]/gi, '').toUpperCase().padEnd(16, 'X').slice(0, 16)}`,
      Expiration: expiration,
      SecretKey: randomBytes(30).toString('base64'),
      SessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(240).toString('base64')}`,
    };
    // The S3 front accepts exactly these keys, until they expire.
    registry?.issued({ accessKeyId: credentials.AccessKeyId, secretKey: credentials.SecretKey, sessionToken: credentials.SessionToken, expiration, identityId: id });
    return { Credentials: credentials, IdentityId: id };
  }

  const operations = {
    GetId: getId,
    GetCredentialsForIdentity: getCredentialsForIdentity,
  };

  function sendAwsError(res, err) {
    sendJson(res, err.status, { __type: err.type, message: err.message }, {
      'content-type': JSON11,
      'x-amzn-errortype': err.type,
      'x-amzn-errormessage': encodeURIComponent(err.message).slice(0, 512),
    });
  }

  async function localHook(req, res, p) {
    if (p === '/_local/health' && req.method === 'GET') return sendJson(res, 200, { ok: true, piece: 'identity' });
    if (p === '/_local/stats' && req.method === 'GET') return sendJson(res, 200, hooks.stats);
    // Every credential set handed out (test data): for tests that look for them where they must not be.
    if (p === '/_local/issued-credentials' && req.method === 'GET') {
      return sendJson(res, 200, [...(registry?.keys.values() ?? [])].map(({ accessKeyId, secretKey, sessionToken }) => ({ accessKeyId, secretKey, sessionToken })));
    }
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'use POST' });
    if (p === '/_local/next-credentials') {
      const body = await readJson(req).catch(() => null);
      const ttlSeconds = body?.ttlSeconds;
      const count = body?.count ?? 1;
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 43200) return sendJson(res, 400, { message: 'ttlSeconds must be an integer between 1 and 43200' });
      if (!Number.isInteger(count) || count < 1) return sendJson(res, 400, { message: 'count must be an integer >= 1' });
      ttlRules.push({ ttlSeconds, remaining: count });
      return sendJson(res, 200, { ttlSeconds, count });
    }
    if (p === '/_local/reset') {
      hooks.reset();
      ttlRules = [];
      log('hooks reset');
      return sendJson(res, 200, { reset: ['identity'] });
    }
    if (p === '/_local/reset-all') return sendJson(res, 200, { reset: await onResetAll() });
    if (p === '/_local/fail-next') {
      const body = await readJson(req).catch(() => null);
      if (body?.target !== undefined && body.target !== null && !(body.target in operations)) {
        return sendJson(res, 400, { message: `target must be one of ${Object.keys(operations).join(', ')}` });
      }
      const rule = hooks.addFailure(body, { status: 400, type: 'TooManyRequestsException', message: 'Rate exceeded' });
      return sendJson(res, 200, rule);
    }
    return sendJson(res, 404, { message: `unknown test hook ${p}` });
  }

  const server = createServer('identity', log, async (req, res) => {
    const url = new URL(req.url, 'http://local');
    res.setHeader('x-amzn-requestid', randomUUID());
    if (url.pathname.startsWith('/_local/')) return localHook(req, res, url.pathname);
    try {
      if (url.pathname !== '/' || req.method !== 'POST') {
        throw new AwsError('UnknownOperationException', `No operation at ${req.method} ${url.pathname}: POST / with an X-Amz-Target header.`, 404);
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : null;
      if (!op || !Object.hasOwn(operations, op)) throw new AwsError('UnknownOperationException', `Unknown X-Amz-Target "${target}": supported are ${Object.keys(operations).map((o) => TARGET_PREFIX + o).join(', ')}.`);
      hooks.count(op);
      const type = mediaType(req);
      if (type !== JSON11 && type !== 'application/x-amz-json-1.0') {
        throw new AwsError('SerializationException', `Content-Type must be ${JSON11}`);
      }
      const text = await readBody(req);
      let body;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
      }
      const failure = hooks.takeFailure(op);
      if (failure) {
        await sleep(failure.delayMs);
        throw new AwsError(failure.type, failure.message, failure.status);
      }
      const result = await operations[op](body);
      return sendJson(res, 200, result, { 'content-type': JSON11 });
    } catch (err) {
      if (err instanceof AwsError) {
        if (err.status < 500) log(`${err.type}: ${err.message}`);
        return sendAwsError(res, err);
      }
      throw err;
    }
  });

  return {
    server,
    identityIdFor,
    reset() {
      hooks.reset();
      ttlRules = [];
    },
  };
}
