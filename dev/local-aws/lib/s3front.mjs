// The S3 side of the AWS front (awsfront.mjs), between every S3 client (the
// app, presigned URLs opened by a browser, tests) and moto_server on an
// internal port. moto stores the bytes; this refuses what S3 and IAM refuse:
//
//   1. authentication: SigV4 (header, presigned query, aws-chunked bodies)
//      with the keys the identity stand-in issued (session token must match,
//      not expired) or the documented set-up key (authenticate.mjs, sigv4.mjs);
//   2. authorization: the authenticated role's policy and the bucket policy,
//      read from deploy/cleancognito.yaml, evaluated per request
//      (s3actions.mjs + iampolicy.mjs);
//   3. S3 semantics moto lacks: 403 instead of 404 for a missing key without
//      s3:ListBucket, If-None-Match: * enforced atomically per key (PutObject
//      and CompleteMultipartUpload), an upload id bound to its key (moto finds
//      uploads by id alone), response-content-disposition / -type overrides on GET.
//      (CORS is answered by awsfront.mjs with s3cors.mjs, before authentication.)
//
// The path moto gets is the path as received, byte for byte: the key IAM
// authorized is the key moto stores (no URL parser in between that would
// resolve "..", "%2e%2e" or "//" into another user's folder).

import http from 'node:http';
import { createHash } from 'node:crypto';
import { S3Error } from './s3errors.mjs';
import { parseQuery, decodeAwsChunked, sha256Hex, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER } from './sigv4.mjs';
import { authenticate } from './authenticate.mjs';
import { classify } from './s3actions.mjs';
import { SETUP_ACCESS_KEY_ID } from './credentials.mjs';

// A body the front must read to check it (a signed payload's hash, aws-chunked signatures, a
// DeleteObjects list) is held in memory up to this size. An UNSIGNED-PAYLOAD PUT (every presigned
// URL: the browser's parts and single PUTs) has nothing to check in its bytes, so it streams to moto
// after authentication and IAM, up to S3's own limit for one PUT, 5 GiB.
const MAX_BODY_BYTES = 512 * 1024 * 1024;
const MAX_PUT_BYTES = 5 * 1024 * 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 60_000;
// Overrides S3 applies to a GET's response headers (signed requests only).
const RESPONSE_OVERRIDES = {
  'response-content-type': 'content-type',
  'response-content-disposition': 'content-disposition',
  'response-content-language': 'content-language',
  'response-content-encoding': 'content-encoding',
  'response-cache-control': 'cache-control',
  'response-expires': 'expires',
};
// Request headers that describe the client's wire format, not the object.
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'expect', 'authorization', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-decoded-content-length', 'x-amz-trailer', 'content-length', 'upgrade', 'te', 'trailer']);
// moto's own answers S3 does not give (no CORS rule on the bucket; hop-by-hop headers are node's to set).
const MOTO_ONLY_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'access-control-allow-origin', 'x-amz-content-sha256', 'server', 'x-amzn-requestid']);
// moto (werkzeug) reads a body sent as a form as form fields and stores an empty object; S3 treats
// Content-Type as plain metadata. Such types travel to moto in this metadata header instead and
// come back as Content-Type on GET/HEAD.
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;
const STASHED_TYPE = 'x-amz-meta-local-s3-front-content-type';
const AUTH_QUERY = new Set(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token']);

export function createS3Handler({ config, upstream, registry, evaluator, log }) {
  const upstreamUrl = new URL(upstream);
  const locks = new Map();
  // Upload ids already proven to belong to their key, for part PUTs: the binding never changes while
  // the upload lives, so a part needs no listing of its own (a 1 GiB file has 205 parts). Completing
  // or aborting forgets it first (moto answers a part of a gone upload with a 500, S3 with 404
  // NoSuchUpload, which the listing gives). Oldest forgotten first.
  const boundUploads = new Set();
  const MAX_BOUND_UPLOADS = 10_000;

  /** Runs fn with the object key locked: writes of one key happen one at a time. */
  async function withKeyLock(id, fn) {
    const previous = locks.get(id) ?? Promise.resolve();
    let release;
    const mine = new Promise((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    locks.set(id, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (locks.get(id) === tail) locks.delete(id);
    }
  }

  async function readBody(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size of the local S3 stand-in.');
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  /** The body moto should store, after checking it against what was signed. */
  async function payload(req, { auth, signer }) {
    const raw = await readBody(req);
    const mode = auth.kind === 'query' ? 'UNSIGNED-PAYLOAD' : String(req.headers['x-amz-content-sha256']);
    const headers = {};
    if (mode === STREAMING_SIGNED || mode === STREAMING_SIGNED_TRAILER || mode === STREAMING_UNSIGNED_TRAILER) {
      const { body, trailers } = await decodeAwsChunked({ raw, mode, auth, signer });
      const declared = req.headers['x-amz-decoded-content-length'];
      if (declared === undefined) throw new S3Error(411, 'MissingContentLength', 'You must provide x-amz-decoded-content-length with an aws-chunked body.');
      if (Number(declared) !== body.length) {
        throw new S3Error(400, 'IncompleteBody', `You did not provide the number of bytes specified by x-amz-decoded-content-length (${declared}, received ${body.length}).`);
      }
      // A checksum sent as a trailer is stored as if sent as a header.
      for (const [name, value] of Object.entries(trailers)) if (name.startsWith('x-amz-checksum-')) headers[name] = value;
      return { body, headers };
    }
    if (mode !== 'UNSIGNED-PAYLOAD' && sha256Hex(raw) !== mode) {
      throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
        ClientComputedContentSHA256: mode,
        S3ComputedContentSHA256: sha256Hex(raw),
      });
    }
    return { body: raw, headers };
  }

  async function authorize(identityId, check) {
    const decision = await evaluator.decide({ identityId, ...check });
    if (decision.error) log(`policy evaluation error for ${check.action} ${check.resource}: ${decision.error}`);
    return decision.allowed;
  }

  function accessDenied(identityId, check) {
    return new S3Error(
      403,
      'AccessDenied',
      `User: arn:aws:sts::${config.accountId}:assumed-role/${evaluator.policies.roleName}/CognitoIdentityCredentials is not authorized to perform: ${check.action} on resource: "${check.resource}" because no identity-based policy allows the ${check.action} action`,
    );
  }

  /**
   * One request to moto; resolves with its response (body not yet read).
   * moto checks no signature but treats a request without Authorization as
   * anonymous (object ACLs then refuse it), so it gets the bucket owner's
   * header, unsigned: everything was checked here already. `pathAndQuery` goes
   * on the wire as is (node's `path` option, not a URL string that would be
   * normalized).
   */
  function toMoto(method, pathAndQuery, headers, body, stream = null) {
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const owner = {
      authorization: `AWS4-HMAC-SHA256 Credential=${SETUP_ACCESS_KEY_ID}/${amzDate.slice(0, 8)}/${config.region}/s3/aws4_request, SignedHeaders=host, Signature=checked-by-the-front`,
      'x-amz-date': amzDate,
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    };
    return new Promise((resolve, reject) => {
      const length = stream ? { 'content-length': stream.length } : body ? { 'content-length': body.length } : {};
      const request = http.request({ host: upstreamUrl.hostname, port: upstreamUrl.port, path: pathAndQuery, method, headers: { ...headers, ...owner, ...length }, timeout: UPSTREAM_TIMEOUT_MS }, resolve);
      request.on('timeout', () => request.destroy(new Error(`moto did not answer within ${UPSTREAM_TIMEOUT_MS} ms`)));
      request.on('error', reject);
      if (!stream) {
        request.end(body);
        return;
      }
      // The client's bytes as they arrive. A client that goes away mid-body takes moto's request
      // with it, so moto never stores a short object or part.
      stream.started = true;
      stream.req.on('close', () => {
        if (!stream.req.complete) request.destroy(new Error('the client closed the connection before the end of its body'));
      });
      stream.req.pipe(request);
    });
  }

  /**
   * Refuses (404 NoSuchUpload, as S3 does) an upload id that is not an upload in progress for this
   * very key: asked of moto as the bucket owner, listing the uploads whose key starts with it.
   */
  async function requireUpload(op) {
    const binding = `${op.bucket}/${op.key}\n${op.uploadId}`;
    const part = op.method === 'PUT';
    if (part && boundUploads.has(binding)) return;
    if (op.method === 'POST' || op.method === 'DELETE') boundUploads.delete(binding);
    const response = await toMoto('GET', `/${encodeURIComponent(op.bucket)}?uploads&prefix=${encodeURIComponent(op.key)}`, {}, null);
    const chunks = [];
    for await (const chunk of response) chunks.push(chunk);
    const xml = Buffer.concat(chunks).toString('utf8');
    const found = response.statusCode === 200 && [...xml.matchAll(/<Upload>([\s\S]*?)<\/Upload>/g)].some(([, upload]) => {
      const key = unescapeXml(/<Key>([^<]*)<\/Key>/.exec(upload)?.[1] ?? '');
      const id = unescapeXml(/<UploadId>([^<]*)<\/UploadId>/.exec(upload)?.[1] ?? '');
      return key === op.key && id === op.uploadId;
    });
    if (!found) {
      throw new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: op.uploadId });
    }
    if (!part) return;
    if (boundUploads.size >= MAX_BOUND_UPLOADS) boundUploads.delete(boundUploads.values().next().value);
    boundUploads.add(binding);
  }

  const discard = (req) => new Promise((resolve) => {
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', resolve);
    req.resume();
  });

  const drain = (response) => new Promise((resolve) => {
    response.resume();
    response.on('end', resolve);
    response.on('error', resolve);
  });

  async function handle(req, res, requestId) {
    const [rawPath, rawQuery = ''] = req.url.split(/\?(.*)/s);
    const query = parseQuery(rawQuery);
    const caller = await authenticate({ req, rawPath, query, registry });
    const op = classify({ method: req.method, path: rawPath, query, headers: req.headers });
    const identityId = caller.key.identityId;

    if (!caller.key.setup) {
      for (const check of op.checks) {
        if (!(await authorize(identityId, check))) throw accessDenied(identityId, check);
      }
    }

    const stream = streamable(req, caller, op);
    try {
      await exchangeWith(req, res, requestId, { caller, op, rawPath, rawQuery, query, identityId, stream });
    } catch (err) {
      // Refused before its bytes were read (a foreign upload id, If-None-Match): read them all first,
      // as with a buffered body, so the client gets the answer instead of a reset connection.
      if (stream && !stream.started && !req.complete) await discard(req);
      throw err;
    }
  }

  /** An UNSIGNED-PAYLOAD PUT with a declared length: its bytes go to moto as they come (MAX_PUT_BYTES). */
  function streamable(req, caller, op) {
    const mode = caller.auth.kind === 'query' ? 'UNSIGNED-PAYLOAD' : String(req.headers['x-amz-content-sha256']);
    const declared = req.headers['content-length'];
    if (req.method !== 'PUT' || mode !== 'UNSIGNED-PAYLOAD' || op.multiDelete || declared === undefined || req.headers['transfer-encoding'] !== undefined) return null;
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) throw new S3Error(400, 'InvalidArgument', 'Content-Length is not a valid length.');
    if (length > MAX_PUT_BYTES) throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: String(length), MaxSizeAllowed: String(MAX_PUT_BYTES) });
    return { req, length, started: false };
  }

  async function exchangeWith(req, res, requestId, { caller, op, rawPath, rawQuery, query, identityId, stream }) {
    const { body, headers: bodyHeaders } = stream ? { body: Buffer.alloc(0), headers: {} } : await payload(req, caller);

    // DeleteObjects: S3 authorizes every key on its own, deletes the allowed ones and reports
    // each refused key as an <Error> in a 200 answer.
    let refusedKeys = [];
    let deleteBody = null;
    if (op.multiDelete && !caller.key.setup) {
      const text = body.toString('utf8');
      const allowed = [];
      for (const [, inner] of text.matchAll(/<Object>([\s\S]*?)<\/Object>/g)) {
        const key = unescapeXml(/<Key>([^<]*)<\/Key>/.exec(inner)?.[1] ?? '');
        const check = { action: /<VersionId>/.test(inner) ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: `arn:aws:s3:::${op.bucket}/${key}`, context: {} };
        if (await authorize(identityId, check)) allowed.push(inner);
        else refusedKeys.push(key);
      }
      if (refusedKeys.length) {
        const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(text) ? '<Quiet>true</Quiet>' : '';
        deleteBody = allowed.length
          ? Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${quiet}${allowed.map((o) => `<Object>${o}</Object>`).join('')}</Delete>`)
          : null;
      }
    }

    // What moto gets: the decoded body, the object's own headers, no credentials.
    const forwardHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_HEADERS.has(name)) forwardHeaders[name] = value;
    if (forwardHeaders['content-encoding']) {
      const rest = String(forwardHeaders['content-encoding']).split(',').map((s) => s.trim()).filter((s) => s && s !== 'aws-chunked');
      if (rest.length) forwardHeaders['content-encoding'] = rest.join(', ');
      else delete forwardHeaders['content-encoding'];
    }
    Object.assign(forwardHeaders, bodyHeaders);
    if (FORM_TYPES.test(forwardHeaders['content-type'] ?? '')) {
      forwardHeaders[STASHED_TYPE] = forwardHeaders['content-type'];
      forwardHeaders['content-type'] = 'application/octet-stream';
    }
    const forwardQuery = rawQuery.split('&').filter((p) => p && !AUTH_QUERY.has(safeDecode(p.split('=')[0]))).join('&');
    const target = `${rawPath}${forwardQuery ? `?${forwardQuery}` : ''}`;
    let sendBody = body.length > 0 || ['PUT', 'POST'].includes(req.method) ? body : null;
    if (refusedKeys.length) {
      const errors = refusedKeys.map((k) => `<Error><Key>${escapeXml(k)}</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`).join('');
      if (!deleteBody) {
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${errors}</DeleteResult>`;
        res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'content-length': Buffer.byteLength(xml) });
        res.end(xml);
        return;
      }
      // The shortened request needs its own integrity headers.
      for (const name of Object.keys(forwardHeaders)) if (name.startsWith('x-amz-checksum-') || name === 'x-amz-sdk-checksum-algorithm') delete forwardHeaders[name];
      forwardHeaders['content-md5'] = createHash('md5').update(deleteBody).digest('base64');
      sendBody = deleteBody;
      const response = await toMoto('POST', target, forwardHeaders, sendBody);
      const parts = [];
      for await (const part of response) parts.push(part);
      const answer = Buffer.concat(parts).toString('utf8');
      const merged = answer.replace('</DeleteResult>', `${errors}</DeleteResult>`);
      res.writeHead(response.statusCode, { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'content-length': Buffer.byteLength(merged) });
      res.end(merged);
      return;
    }

    const exchange = async () => {
      // moto finds an upload by its id alone and completes it under the key it was started for, so
      // alice's key with bob's upload id would write bob's file. S3 binds the id to its key.
      if (op.uploadId !== undefined) await requireUpload({ ...op, method: req.method });
      if (op.write && req.headers['if-none-match'] !== undefined) {
        if (String(req.headers['if-none-match']).trim() !== '*') {
          throw new S3Error(501, 'NotImplemented', 'If-None-Match on a write accepts only "*".');
        }
        const head = await toMoto('HEAD', rawPath, {}, null);
        await drain(head);
        if (head.statusCode === 200) throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
        // Decided here, under the key's lock: moto (which checks it too, for some writes) must not
        // be what the tests see enforcing it.
        delete forwardHeaders['if-none-match'];
      }
      const response = await toMoto(req.method, target, forwardHeaders, stream ? null : sendBody, stream);
      // A part PUT that listed the upload while it was being completed or aborted must not keep it bound.
      if (op.uploadId !== undefined && (req.method === 'POST' || req.method === 'DELETE')) boundUploads.delete(`${op.bucket}/${op.key}\n${op.uploadId}`);
      if (op.write) {
        // The lock is held until moto has stored the object and answered; buffer the small answer.
        const chunks = [];
        for await (const chunk of response) chunks.push(chunk);
        return { response, buffered: Buffer.concat(chunks) };
      }
      return { response, buffered: null };
    };
    const { response, buffered } = op.write ? await withKeyLock(`${op.bucket}/${op.key}`, exchange) : await exchange();

    // A missing key is 404 only for a caller S3 would also let list it (a GET/HEAD carries no s3:prefix).
    if (op.read && response.statusCode === 404 && !caller.key.setup) {
      const listCheck = { action: 's3:ListBucket', resource: `arn:aws:s3:::${op.bucket}`, context: {} };
      if (!(await authorize(identityId, listCheck))) {
        await drain(response);
        throw accessDenied(identityId, listCheck);
      }
    }

    const headers = { 'x-amz-request-id': requestId };
    for (const [name, value] of Object.entries(response.headers)) if (!MOTO_ONLY_RESPONSE_HEADERS.has(name)) headers[name] = value;
    if (headers[STASHED_TYPE] !== undefined) {
      headers['content-type'] = headers[STASHED_TYPE];
      delete headers[STASHED_TYPE];
    }
    if (op.read && req.method === 'GET' && (response.statusCode === 200 || response.statusCode === 206)) {
      for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
        if (typeof query[param] === 'string') headers[header] = query[param];
      }
    }
    res.writeHead(response.statusCode, headers);
    if (buffered) res.end(buffered);
    else response.pipe(res);
  }

  return { handle };
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escapeXml(s) {
  return String(s).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);
}

function unescapeXml(s) {
  return s.replace(/&(lt|gt|amp|apos|quot);/g, (_, e) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[e]);
}
