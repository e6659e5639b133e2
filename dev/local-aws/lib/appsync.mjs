// AppSync stand-in: @aws-amplify/amplify-appsync-simulator serving
// deploy/appsync/schema.graphql with an in-memory, Lambda-style data source.
//
// We never call simulator.start(): it binds every interface (and probes
// ports with get-port). Instead we run its Express app behind our own
// http.Server on 127.0.0.1, with a front check the simulator lacks: it only
// decodes the JWT, so we verify signature, iss, token_use and exp first and
// answer AppSync's 401 otherwise. Subscriptions (the simulator's websocket,
// which would share this port) are not served: the schema has none.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, readJson, sendJson, mediaType, TestHooks, sleep } from './http.mjs';

const require = createRequire(import.meta.url);

export const SCHEMA_PATH = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../deploy/appsync/schema.graphql');

const UNAUTHORIZED = { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] };

// ---------------------------------------------------------------------------
// Data: ~25 demo objects in a stable order.

export function seedObjects() {
  const objects = [{ id: '1234567890abcdef', name: 'My first object', date: '2026-01-15T09:30:00Z' }];
  const names = ['Quarterly report', 'Team photo', 'Invoice', 'Design sketch', 'Meeting notes', 'Travel plan', 'Budget', 'Roadmap'];
  for (let i = 2; i <= 25; i++) {
    const id = createHash('sha256').update(`cleancognito-demo-object-${i}`).digest('hex').slice(0, 16);
    const date = new Date(Date.UTC(2026, 0, 15, 9, 30) + (i - 1) * 86400000 + i * 60000).toISOString().replace('.000Z', 'Z');
    objects.push({ id, name: `${names[(i - 2) % names.length]} #${i}`, date });
  }
  return objects;
}

export class ObjectStore {
  constructor() {
    // Signs nextTokens so a made-up or edited token is an error, as AppSync's are.
    this.tokenKey = randomBytes(32);
    this.reset();
  }

  reset() {
    this.objects = seedObjects();
  }

  get(id) {
    const o = this.objects.find((x) => x.id === id);
    return o ? { ...o } : null;
  }

  list(limit, nextToken) {
    if (limit === undefined || limit === null) limit = 10;
    if (!Number.isInteger(limit) || limit < 1) {
      return fail('BadRequestException', `Invalid limit ${limit}: must be between 1 and 100.`);
    }
    limit = Math.min(limit, 100);
    let offset = 0;
    if (nextToken !== undefined && nextToken !== null) {
      offset = this.decodeToken(nextToken);
      if (offset === null) return fail('BadRequestException', 'Invalid nextToken.');
    }
    const items = this.objects.slice(offset, offset + limit).map((o) => ({ ...o }));
    const next = offset + limit < this.objects.length ? this.encodeToken(offset + limit) : null;
    return { data: { items, nextToken: next } };
  }

  update(id, name) {
    const o = this.objects.find((x) => x.id === id);
    if (!o) return fail('NotFoundException', `MyObject with id '${id}' not found.`);
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
      return fail('BadRequestException', 'name must be 1 to 200 characters.');
    }
    o.name = name;
    return { data: { ...o } };
  }

  encodeToken(offset) {
    const payload = Buffer.from(JSON.stringify({ o: offset, n: randomUUID().slice(0, 8) })).toString('base64url');
    const mac = createHmac('sha256', this.tokenKey).update(payload).digest('base64url').slice(0, 22);
    return `${payload}.${mac}`;
  }

  decodeToken(token) {
    if (typeof token !== 'string') return null;
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return null;
    const expected = createHmac('sha256', this.tokenKey).update(payload).digest('base64url').slice(0, 22);
    if (mac !== expected) return null;
    try {
      const { o } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return Number.isInteger(o) && o >= 0 ? o : null;
    } catch {
      return null;
    }
  }
}

const fail = (errorType, errorMessage) => ({ errorType, errorMessage, data: null });

// ---------------------------------------------------------------------------
// Resolvers: one Lambda-style data source; request/response mapping templates
// pass the arguments in and turn { errorType, errorMessage } into $util.error.

const RESPONSE_TEMPLATE = `#if($ctx.error)
  $util.error($ctx.error.message, $ctx.error.type)
#end
#if($ctx.result.errorType)
  $util.error($ctx.result.errorMessage, $ctx.result.errorType)
#end
$util.toJson($ctx.result.data)`;

const requestTemplate = (field) =>
  `{"version":"2018-05-29","operation":"Invoke","payload":{"field":"${field}","arguments":$util.toJson($ctx.arguments),"identity":$util.toJson($ctx.identity)}}`;

const FIELDS = [
  ['Query', 'getMyObject'],
  ['Query', 'listMyObjects'],
  ['Mutation', 'updateMyObject'],
];

export function createAppSync({ config, tokens, log, onResetAll }) {
  const { AmplifyAppSyncSimulator } = require('@aws-amplify/amplify-appsync-simulator');
  const store = new ObjectStore();
  const hooks = new TestHooks();
  const clientIds = new Set(config.clients.map((c) => c.id));

  async function invoke(payload) {
    const a = payload.arguments ?? {};
    switch (payload.field) {
      case 'getMyObject':
        return { data: store.get(a.id) };
      case 'listMyObjects':
        return store.list(a.limit, a.nextToken);
      case 'updateMyObject': {
        const result = store.update(a.id, a.name);
        if (result.data) log(`updateMyObject ${a.id} by ${payload.identity?.username ?? '?'}`);
        return result;
      }
      default:
        return fail('InternalFailure', `no resolver for ${payload.field}`);
    }
  }

  const simulator = new AmplifyAppSyncSimulator({ port: 0, wsPort: 0 });
  simulator.init({
    schema: { path: SCHEMA_PATH, content: fs.readFileSync(SCHEMA_PATH, 'utf8') },
    dataSources: [{ name: 'LocalObjects', type: 'AWS_LAMBDA', invoke }],
    resolvers: FIELDS.map(([typeName, fieldName]) => ({
      kind: 'UNIT',
      typeName,
      fieldName,
      dataSourceName: 'LocalObjects',
      requestMappingTemplate: requestTemplate(fieldName),
      responseMappingTemplate: RESPONSE_TEMPLATE,
    })),
    appSync: {
      name: 'cleancognito-local',
      defaultAuthenticationType: {
        authenticationType: 'AMAZON_COGNITO_USER_POOLS',
        cognitoUserPoolConfig: {},
      },
      additionalAuthenticationProviders: [],
      accountId: config.accountId,
    },
  });
  // The simulator's Express app (POST /graphql). Private field of a pinned
  // version: fail loudly if an upgrade moves it.
  const app = simulator._server?._operationServer?.app;
  if (typeof app !== 'function') {
    throw new Error('amplify-appsync-simulator internals changed: _server._operationServer.app not found (is the pinned 2.16.x installed?)');
  }

  /** The front check: what AppSync verifies and the simulator does not. */
  async function authorize(req) {
    const header = req.headers.authorization;
    if (!header) return { ok: false, why: 'no Authorization header' };
    if (req.headers['x-api-key']) return { ok: false, why: 'API key auth is not enabled' };
    if (/^(Bearer|AWS4-HMAC-SHA256)\s/i.test(header)) return { ok: false, why: 'Authorization must be the raw JWT (no Bearer prefix; IAM not enabled)' };
    try {
      const claims = await tokens.verify(header.trim());
      const use = claims.token_use;
      if (use !== 'access' && !(use === 'id' && config.appsyncAcceptIdTokens)) return { ok: false, why: `token_use ${use}` };
      const client = use === 'access' ? claims.client_id : claims.aud;
      if (!clientIds.has(client)) return { ok: false, why: `unknown client ${client}` };
      return { ok: true, claims };
    } catch (err) {
      return { ok: false, why: err.message };
    }
  }

  async function localHook(req, res, p) {
    if (p === '/_local/health' && req.method === 'GET') return sendJson(res, 200, { ok: true, piece: 'appsync' });
    if (p === '/_local/stats' && req.method === 'GET') return sendJson(res, 200, hooks.stats);
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'use POST' });
    if (p === '/_local/reset') {
      store.reset();
      hooks.reset();
      log('seed data restored');
      return sendJson(res, 200, { reset: ['appsync'] });
    }
    if (p === '/_local/reset-all') return sendJson(res, 200, { reset: await onResetAll() });
    if (p === '/_local/fail-next') {
      const rule = hooks.addFailure(await readJson(req).catch(() => null), { status: 500, type: 'InternalFailure', message: 'An internal failure occurred.' });
      return sendJson(res, 200, rule);
    }
    return sendJson(res, 404, { message: `unknown test hook ${p}` });
  }

  const server = createServer('appsync', log, async (req, res) => {
    const url = new URL(req.url, 'http://local');
    const p = url.pathname;
    const requestId = randomUUID();
    res.setHeader('x-amzn-requestid', requestId);
    if (p.startsWith('/_local/')) return localHook(req, res, p);
    if (p !== '/graphql') return sendJson(res, 404, { message: 'not found: the GraphQL endpoint is POST /graphql' });
    if (req.method === 'OPTIONS') return app(req, res); // CORS preflight, as the simulator answers it
    if (req.method !== 'POST') return sendJson(res, 405, { errors: [{ errorType: 'MethodNotAllowed', message: 'use POST' }] });

    hooks.count('graphql');
    const auth = await authorize(req);
    if (!auth.ok) {
      log(`401: ${auth.why}`);
      return sendJson(res, 401, UNAUTHORIZED);
    }
    // The simulator only parses JSON bodies; anything else would get a 200
    // with a non-GraphQL {"errorMessage"} body. Refuse it clearly instead.
    if (mediaType(req) !== 'application/json') {
      return sendJson(res, 400, {
        errors: [{ errorType: 'MalformedHttpRequestException', message: 'Content-Type must be application/json with a body {"query", "variables"}.' }],
      });
    }
    const failure = hooks.takeFailure('/graphql');
    if (failure) {
      await sleep(failure.delayMs);
      return sendJson(res, failure.status, { errors: [{ errorType: failure.type, message: failure.message }] });
    }
    tidyErrors(res);
    return app(req, res);
  });

  /**
   * When a resolver errors on a non-null field, graphql-js adds "Cannot
   * return null for non-nullable field …" and the simulator lists it before
   * the resolver's own error. AppSync reports the resolver's error only, so
   * drop the graphql-js one when a resolver error has the same path.
   */
  function tidyErrors(res) {
    const end = res.end.bind(res);
    res.end = (chunk, ...rest) => {
      try {
        if (chunk && !res.headersSent) {
          const body = JSON.parse(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk);
          if (Array.isArray(body.errors)) {
            const typed = new Set(body.errors.filter((e) => e.errorType && e.path).map((e) => JSON.stringify(e.path)));
            const errors = body.errors.filter((e) => !(typeof e.message === 'string' && e.message.startsWith('Cannot return null for non-nullable field') && typed.has(JSON.stringify(e.path))));
            if (errors.length !== body.errors.length) {
              const text = JSON.stringify({ ...body, errors });
              res.setHeader('content-length', Buffer.byteLength(text));
              res.removeHeader('etag');
              return end(text, 'utf8', ...rest.filter((r) => typeof r === 'function'));
            }
          }
        }
      } catch {
        // not JSON: pass through untouched
      }
      return end(chunk, ...rest);
    };
  }

  return {
    server,
    store,
    reset() {
      store.reset();
      hooks.reset();
    },
  };
}
