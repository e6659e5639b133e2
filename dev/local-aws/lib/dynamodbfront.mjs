// The DynamoDB side of the AWS front: a JSON 1.0 request (POST, X-Amz-Target:
// DynamoDB_20120810.<Operation>, SigV4 scoped to "dynamodb") is authenticated, mapped to its IAM
// checks with the condition keys DynamoDB supplies (dynamodbactions.mjs), evaluated against the
// template's authenticated-role policies, and only then forwarded to moto's DynamoDB, body unchanged.
// Errors come in DynamoDB's shapes (dynamodberrors.mjs).

import http from 'node:http';
import { parseQuery } from './sigv4.mjs';
import { authenticate } from './authenticate.mjs';
import { S3Error } from './s3errors.mjs';
import { DynamoDbError, fromS3AuthError } from './dynamodberrors.mjs';
import { classifyDynamoDb, TARGET_PREFIX } from './dynamodbactions.mjs';
import { SETUP_ACCESS_KEY_ID } from './credentials.mjs';

// DynamoDB's largest request (BatchWriteItem) is 16 MB.
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 30_000;
// moto's answer headers worth passing on (the rest is werkzeug's or hop-by-hop).
const PASSED_RESPONSE_HEADERS = ['content-type', 'x-amz-crc32', 'x-amzn-requestid'];
// Operations that change a table's key schema: the cached schema is dropped after them.
const SCHEMA_CHANGES = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);

/** A request for this side: POST with a DynamoDB X-Amz-Target. */
export function isDynamoDbRequest(req) {
  return req.method === 'POST' && String(req.headers['x-amz-target'] ?? '').startsWith(TARGET_PREFIX);
}

export function createDynamoDbHandler({ config, upstream, registry, evaluator, log }) {
  const upstreamUrl = new URL(upstream);
  const schemas = new Map(); // "table|index" → partition-key attribute name

  /** One JSON 1.0 call to moto; resolves with { status, headers, body: Buffer }. */
  function toMoto(target, body) {
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const headers = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': target,
      'content-length': body.length,
      // moto checks no signature but routes on the credential scope's service.
      authorization: `AWS4-HMAC-SHA256 Credential=${SETUP_ACCESS_KEY_ID}/${amzDate.slice(0, 8)}/${config.region}/dynamodb/aws4_request, SignedHeaders=host, Signature=checked-by-the-front`,
      'x-amz-date': amzDate,
    };
    return new Promise((resolve, reject) => {
      const request = http.request({ host: upstreamUrl.hostname, port: upstreamUrl.port, path: '/', method: 'POST', headers, timeout: UPSTREAM_TIMEOUT_MS }, (response) => {
        const chunks = [];
        response.on('data', (c) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error(`moto did not answer within ${UPSTREAM_TIMEOUT_MS} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  /** The partition-key attribute of a table (or of one of its indexes), from moto's DescribeTable; null if there is none. */
  async function keySchemaOf(table, index) {
    const id = `${table}|${index ?? ''}`;
    if (schemas.has(id)) return schemas.get(id);
    const answer = await toMoto(`${TARGET_PREFIX}DescribeTable`, Buffer.from(JSON.stringify({ TableName: table })));
    if (answer.status !== 200) return null;
    const description = JSON.parse(answer.body.toString('utf8')).Table ?? {};
    const schema = index
      ? [...(description.GlobalSecondaryIndexes ?? []), ...(description.LocalSecondaryIndexes ?? [])].find((i) => i.IndexName === index)?.KeySchema
      : description.KeySchema;
    const hashKey = schema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? null;
    if (hashKey) schemas.set(id, hashKey);
    return hashKey;
  }

  async function readBody(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new DynamoDbError('RequestEntityTooLargeException', 'Request must be smaller than 16777216 bytes for the operation.', 413);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  function accessDenied(check) {
    return new DynamoDbError(
      'AccessDeniedException',
      `User: arn:aws:sts::${config.accountId}:assumed-role/${evaluator.policies.roleName}/CognitoIdentityCredentials is not authorized to perform: ${check.action} on resource: ${check.resource} because no identity-based policy allows the ${check.action} action`,
    );
  }

  async function handle(req, res, requestId) {
    const body = await readBody(req);
    const [rawPath, rawQuery = ''] = req.url.split(/\?(.*)/s);
    let caller;
    try {
      caller = await authenticate({ req, rawPath, query: parseQuery(rawQuery), registry, service: 'dynamodb', body });
    } catch (err) {
      if (err instanceof S3Error) throw fromS3AuthError(err);
      throw err;
    }
    const target = String(req.headers['x-amz-target']);
    const operation = target.slice(TARGET_PREFIX.length);
    let input;
    try {
      input = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      throw new DynamoDbError('SerializationException', 'Start of structure or map found where not expected.');
    }

    // The set-up key is the account owner: no IAM check (as for S3).
    if (!caller.key.setup) {
      const checks = await classifyDynamoDb({ operation, input, region: config.region, accountId: config.accountId, keySchemaOf });
      for (const check of checks) {
        const decision = await evaluator.decide({ identityId: caller.key.identityId, ...check });
        if (decision.error) log(`policy evaluation error for ${check.action} ${check.resource}: ${decision.error}`);
        if (!decision.allowed) throw accessDenied(check);
      }
    }

    const answer = await toMoto(target, body);
    if (SCHEMA_CHANGES.has(operation)) schemas.clear();
    const headers = { 'x-amzn-requestid': requestId };
    for (const name of PASSED_RESPONSE_HEADERS) if (answer.headers[name] !== undefined && name !== 'x-amzn-requestid') headers[name] = answer.headers[name];
    headers['content-length'] = answer.body.length;
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  return {
    handle,
    /** Forget cached key schemas (moto was reset). */
    reset() {
      schemas.clear();
    },
  };
}
