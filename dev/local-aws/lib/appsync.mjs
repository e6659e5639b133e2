// AppSync stand-in: @aws-amplify/amplify-appsync-simulator serving
// deploy/appsync/schema.graphql with the resolvers the template deploys
// (deploy/appsync/resolvers/*.vtl, listed in deploy/cleancognito.yaml) over an
// AMAZON_DYNAMODB data source: moto_server's DynamoDB, with the table created
// from the template's definition.
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
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, readJson, sendJson, mediaType, TestHooks, sleep } from './http.mjs';
import { loadDeployedApi, createTableRequest } from './deployed-api.mjs';
import { DynamoDb } from './dynamodb.mjs';

const require = createRequire(import.meta.url);

export const SCHEMA_PATH = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../deploy/appsync/schema.graphql');

const UNAUTHORIZED = { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] };

// ---------------------------------------------------------------------------
// Data: alice owns 25 objects (three pages of 10), bob owns 3.

const OBJECT_NAMES = ['Quarterly report', 'Team photo', 'Invoice', 'Design sketch', 'Meeting notes', 'Travel plan', 'Budget', 'Roadmap'];
const LOCAL_TABLE_NAME = 'cleancognito-objects';

const demoId = (seed) => createHash('sha256').update(seed).digest('hex').slice(0, 16);
const demoDate = (i, hour) => new Date(Date.UTC(2026, 0, 15, hour, 30) + (i - 1) * 86400000 + i * 60000).toISOString().replace('.000Z', 'Z');

/** The seed items, by owner sub: alice's first is the flask-cognito-lib example's reference object 1234567890abcdef. */
export function seedObjects(users) {
  const sub = (name) => users.find((u) => u.username === name).sub;
  const objects = [{ id: '1234567890abcdef', owner: sub('alice'), name: 'My first object', date: '2026-01-15T09:30:00Z' }];
  for (let i = 2; i <= 25; i++) {
    objects.push({ id: demoId(`cleancognito-demo-object-${i}`), owner: sub('alice'), name: `${OBJECT_NAMES[(i - 2) % OBJECT_NAMES.length]} #${i}`, date: demoDate(i, 9) });
  }
  for (let i = 1; i <= 3; i++) {
    objects.push({ id: demoId(`cleancognito-demo-bob-object-${i}`), owner: sub('bob'), name: `Bob's ${OBJECT_NAMES[i].toLowerCase()}`, date: demoDate(i, 14) });
  }
  return objects;
}

/**
 * AppSync hands out opaque nextTokens and refuses an edited one; the simulator's are the plain
 * base64 of DynamoDB's LastEvaluatedKey, so an edited token would silently start elsewhere. This
 * wraps them the way AppSync's data-source layer does: sealed (HMAC) and bound to the query they
 * continue (index and key values: another user's token does not continue this user's list).
 */
export class PageTokens {
  constructor() {
    this.key = randomBytes(32);
  }

  static scope(payload) {
    return JSON.stringify([payload.operation, payload.index ?? null, payload.query?.expressionValues ?? null, payload.filter?.expressionValues ?? null]);
  }

  seal(inner, scope) {
    const body = Buffer.from(JSON.stringify({ k: inner, s: createHash('sha256').update(scope).digest('base64url') })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The simulator's own token, or an error shaped as AppSync reports an invalid one. */
  open(token, scope) {
    const [body, mac, extra] = typeof token === 'string' ? token.split('.') : [];
    const invalid = () => Object.assign(new Error('Invalid pagination token given.'), { type: 'DynamoDB:UserIllegalArgumentException' });
    if (!body || !mac || extra !== undefined) throw invalid();
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    const { k, s } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (s !== createHash('sha256').update(scope).digest('base64url') || typeof k !== 'string') throw invalid();
    return k;
  }

  mac(body) {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** Wraps the DynamoDB data loader: sealed page tokens, and one log line per write (never values). */
function faithfulLoader(loader, pageTokens, log) {
  const load = loader.load.bind(loader);
  loader.load = async (payload, extra) => {
    if (payload?.operation === 'Query' || payload?.operation === 'Scan') {
      const scope = PageTokens.scope(payload);
      const nextToken = payload.nextToken ? pageTokens.open(payload.nextToken, scope) : null;
      const result = await load({ ...payload, nextToken }, extra);
      return { ...result, nextToken: result?.nextToken ? pageTokens.seal(result.nextToken, scope) : null };
    }
    if (['PutItem', 'UpdateItem', 'DeleteItem'].includes(payload?.operation)) {
      log(`${payload.operation} by ${extra?.context?.jwt?.username ?? extra?.context?.jwt?.['cognito:username'] ?? '?'}`);
    }
    return load(payload, extra);
  };
  return loader;
}

export function createAppSync({ config, tokens, log, onResetAll, dynamoDbEndpoint }) {
  const { AmplifyAppSyncSimulator } = require('@aws-amplify/amplify-appsync-simulator');
  const hooks = new TestHooks();
  const clientIds = new Set(config.clients.map((c) => c.id));
  const pageTokens = new PageTokens();

  // The API as deployed: the template's table, data source and resolvers (their .vtl files).
  const api = loadDeployedApi();
  if (api.dataSources.length !== 1) throw new Error(`the stand-in serves one DynamoDB data source; the template has ${api.dataSources.length}`);
  const [source] = api.dataSources;
  const dynamoDb = new DynamoDb({ endpoint: dynamoDbEndpoint, region: config.region });

  async function reseed() {
    await dynamoDb.recreateTable(createTableRequest(LOCAL_TABLE_NAME, source.table));
    await dynamoDb.putAll(LOCAL_TABLE_NAME, seedObjects(config.users));
  }

  const simulator = new AmplifyAppSyncSimulator({ port: 0, wsPort: 0 });
  simulator.init({
    schema: { path: SCHEMA_PATH, content: fs.readFileSync(SCHEMA_PATH, 'utf8') },
    dataSources: [
      {
        name: source.name,
        type: 'AMAZON_DYNAMODB',
        // SDK v3 reads credentials from config.credentials (the documented top-level keys are ignored).
        config: { tableName: LOCAL_TABLE_NAME, endpoint: dynamoDbEndpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
      },
    ],
    resolvers: api.resolvers.map((r) => ({
      kind: 'UNIT',
      typeName: r.typeName,
      fieldName: r.fieldName,
      dataSourceName: r.dataSourceName,
      requestMappingTemplateLocation: r.request.path,
      responseMappingTemplateLocation: r.response.path,
    })),
    // Keyed by file path, so a template error names the file.
    mappingTemplates: api.resolvers.flatMap((r) => [r.request, r.response]).map((t) => ({ path: t.path, content: t.text })),
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
  faithfulLoader(simulator.getDataLoader(source.name), pageTokens, log);

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
      await reseed();
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
    /** Creates the table from the template and writes the seed data (also after moto's own reset). */
    async reset() {
      await reseed();
      hooks.reset();
    },
  };
}
