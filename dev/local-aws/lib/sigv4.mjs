// SigV4 verification for the AWS front (S3 and DynamoDB), by re-signing the
// received request with @smithy/signature-v4 (the AWS SDK for JavaScript's own
// signer) and the secret of the access key, then comparing in constant time.
// Covers the three forms S3 clients use: the Authorization header, presigned
// query strings and aws-chunked streaming bodies (per-chunk signatures and the
// signed trailer that AWSSDK.S3 4.x sends for streams); DynamoDB uses the
// header form over a JSON body.
//
// Failures are thrown as S3Error with S3's codes (the first service the front
// served); the DynamoDB side translates them into its own error types.

import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { S3Error } from './s3errors.mjs';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

export const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');

const sameHex = (a, b) => typeof a === 'string' && typeof b === 'string' && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** "20261130T101500Z" → Date, or null. */
function parseAmzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return null;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Query string → { name: value | [values] }, percent-decoded exactly once ('+' is not a space in SigV4). */
export function parseQuery(rawQuery) {
  const query = {};
  if (!rawQuery) return query;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let name;
    let value;
    try {
      name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      throw new S3Error(400, 'InvalidArgument', 'The query string is not correctly percent-encoded.');
    }
    if (Object.hasOwn(query, name)) query[name] = [].concat(query[name], value);
    else query[name] = value;
  }
  return query;
}

export const SERVICES = new Set(['s3', 'dynamodb']);

function parseCredential(credential, where) {
  const parts = String(credential ?? '').split('/');
  if (parts.length !== 5 || !SERVICES.has(parts[3]) || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1])) {
    throw new S3Error(400, 'AuthorizationHeaderMalformed', `The ${where} credential is malformed; expected "<YOUR-AKID>/YYYYMMDD/REGION/<s3|dynamodb>/aws4_request".`);
  }
  return { accessKeyId: parts[0], shortDate: parts[1], region: parts[2], service: parts[3], scope: parts.slice(1).join('/') };
}

/**
 * Reads the authentication of a request (no secret needed yet).
 * Returns null for an anonymous request.
 */
export function readAuth(headers, query) {
  const header = headers.authorization;
  if (header !== undefined) {
    const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(header);
    if (!m) {
      if (/^AWS\s/.test(header)) throw new S3Error(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
      throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
    }
    const fields = Object.fromEntries(m[1].split(/,\s*/).map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
    }));
    if (!fields.Credential || !fields.SignedHeaders || !fields.Signature) {
      throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; it must contain Credential, SignedHeaders and Signature.');
    }
    const date = parseAmzDate(headers['x-amz-date']);
    if (!date) throw new S3Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
    return {
      kind: 'header',
      ...parseCredential(fields.Credential, 'Authorization header'),
      signedHeaders: fields.SignedHeaders.split(';'),
      signature: fields.Signature,
      date,
      longDate: headers['x-amz-date'],
      sessionToken: headers['x-amz-security-token'] ?? null,
    };
  }
  if (query['X-Amz-Algorithm'] !== undefined || query['X-Amz-Signature'] !== undefined) {
    if (query['X-Amz-Algorithm'] !== ALGORITHM) {
      throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    }
    for (const name of ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature']) {
      if (typeof query[name] !== 'string') {
        throw new S3Error(400, 'AuthorizationQueryParametersError', `Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters (${name} is missing).`);
      }
    }
    const date = parseAmzDate(query['X-Amz-Date']);
    if (!date) throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
    const expires = Number(query['X-Amz-Expires']);
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS) {
      throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be a number of seconds between 1 and 604800 (7 days).');
    }
    return {
      kind: 'query',
      ...parseCredential(query['X-Amz-Credential'], 'X-Amz-Credential'),
      signedHeaders: query['X-Amz-SignedHeaders'].split(';'),
      signature: query['X-Amz-Signature'],
      date,
      longDate: query['X-Amz-Date'],
      expires,
      sessionToken: query['X-Amz-Security-Token'] ?? null,
    };
  }
  return null;
}

/**
 * Checks the request's signature with the key's secret. `rawPath` is the path
 * exactly as received (S3 signs it without re-encoding); `query` the decoded
 * query; `service` the service the request is for (its signature must be
 * scoped to it); `body` the payload for services that sign it without an
 * x-amz-content-sha256 header (DynamoDB). Throws S3Error
 * (SignatureDoesNotMatch, AccessDenied for an expired presigned URL,
 * RequestTimeTooSkewed).
 */
export async function verifyRequest({ auth, key, method, rawPath, query, headers, service = 's3', body, now = Date.now() }) {
  if (auth.service !== service) {
    throw new S3Error(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'.`);
  }
  if (auth.shortDate !== auth.longDate.slice(0, 8)) {
    throw new S3Error(403, 'SignatureDoesNotMatch', 'The credential scope date does not match the request date.');
  }
  if (auth.kind === 'query') {
    const expiresAt = auth.date.getTime() + auth.expires * 1000;
    if (now > expiresAt) {
      throw new S3Error(403, 'AccessDenied', 'Request has expired', {
        'X-Amz-Expires': String(auth.expires),
        Expires: new Date(expiresAt).toISOString(),
        ServerTime: new Date(now).toISOString(),
      });
    }
    if (auth.date.getTime() - now > MAX_SKEW_MS) throw new S3Error(403, 'AccessDenied', 'Request is not valid yet');
  } else if (Math.abs(now - auth.date.getTime()) > MAX_SKEW_MS) {
    throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: auth.longDate,
      ServerTime: new Date(now).toISOString(),
      MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }

  const signer = signerFor(key, auth.region, service);
  const signed = new Set(auth.signedHeaders);
  if (!signed.has('host')) throw new S3Error(403, 'SignatureDoesNotMatch', 'The host header must be signed.');
  const signedHeaderValues = {};
  for (const name of signed) {
    if (headers[name] === undefined) throw new S3Error(403, 'SignatureDoesNotMatch', `The signed header ${name} is not in the request.`);
    signedHeaderValues[name] = String(headers[name]);
  }
  const request = { method, protocol: 'http:', hostname: String(headers.host ?? ''), path: rawPath, headers: signedHeaderValues, query: {} };

  let expected;
  if (auth.kind === 'header' && service !== 's3') {
    // The payload hash is part of the signature: of the body as received (or the header's value,
    // when signed, which must then be the body's hash).
    request.query = query;
    request.body = body ?? Buffer.alloc(0);
    const declared = headers['x-amz-content-sha256'];
    if (declared !== undefined && declared !== sha256Hex(request.body)) {
      throw new S3Error(403, 'SignatureDoesNotMatch', 'The x-amz-content-sha256 header does not match the body.');
    }
    const result = await signer.sign(request, { signingDate: auth.date, signableHeaders: signed });
    expected = /Signature=([0-9a-f]+)/.exec(result.headers.authorization)?.[1];
  } else if (auth.kind === 'header') {
    request.query = query;
    if (headers['x-amz-content-sha256'] === undefined) {
      throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    }
    request.headers['x-amz-content-sha256'] = headers['x-amz-content-sha256'];
    const result = await signer.sign(request, { signingDate: auth.date, signableHeaders: signed });
    expected = /Signature=([0-9a-f]+)/.exec(result.headers.authorization)?.[1];
  } else if (service !== 's3') {
    throw new S3Error(403, 'AccessDenied', `Presigned requests are not supported by ${service}.`);
  } else {
    // The X-Amz-* authentication parameters are re-created by presign(); the
    // others (response-*, x-amz-* hoisted headers) are part of what was signed.
    const rest = { ...query };
    for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token']) delete rest[name];
    request.query = rest;
    // Presigned S3 requests sign no payload.
    request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const result = await signer.presign(request, {
      signingDate: auth.date,
      expiresIn: auth.expires,
      signableHeaders: signed,
      unsignableHeaders: new Set(['x-amz-content-sha256']),
      unhoistableHeaders: new Set(['x-amz-content-sha256', ...[...signed].filter((h) => h.startsWith('x-amz-'))]),
    });
    expected = result.query['X-Amz-Signature'];
  }
  if (!sameHex(expected, auth.signature)) {
    throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', { AWSAccessKeyId: auth.accessKeyId });
  }
  return { signer };
}

const signers = new Map();
function signerFor(key, region, service) {
  const id = `${key.accessKeyId}|${region}|${service}`;
  let signer = signers.get(id);
  if (!signer) {
    signer = new SignatureV4({
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretKey, sessionToken: key.sessionToken ?? undefined },
      region,
      service,
      sha256: Sha256,
      // S3 signs the path as sent; every other service signs it URI-encoded once more.
      uriEscapePath: service !== 's3',
      applyChecksum: false,
    });
    if (signers.size > 500) signers.clear();
    signers.set(id, signer);
  }
  return signer;
}

/**
 * Decodes an aws-chunked body ("<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n" …,
 * then a 0-size chunk, then optional trailer lines) and, for the signed
 * variants, checks every chunk signature and the trailer signature against
 * the seed signature of the request. Returns { body, trailers }.
 */
export async function decodeAwsChunked({ raw, mode, auth, signer }) {
  const signed = mode === STREAMING_SIGNED || mode === STREAMING_SIGNED_TRAILER;
  const chunks = [];
  const trailers = {};
  let previous = auth?.signature;
  let pos = 0;
  const bad = (why) => new S3Error(400, 'IncompleteBody', `The aws-chunked body is malformed: ${why}.`);
  const lineEnd = () => {
    const end = raw.indexOf('\r\n', pos);
    if (end < 0) throw bad('a line does not end with CRLF');
    const line = raw.subarray(pos, end).toString('latin1');
    pos = end + 2;
    return line;
  };
  const signString = (text) => signer.sign(text, { signingDate: auth.date, signingRegion: auth.region, signingService: 's3' });
  const scope = auth ? `${auth.scope}` : '';

  for (;;) {
    const header = lineEnd();
    const [sizeHex, ...extensions] = header.split(';');
    if (!/^[0-9a-fA-F]+$/.test(sizeHex)) throw bad(`chunk size "${sizeHex.slice(0, 20)}" is not hexadecimal`);
    const size = parseInt(sizeHex, 16);
    const data = raw.subarray(pos, pos + size);
    if (data.length !== size) throw bad('a chunk is shorter than its declared size');
    pos += size;
    if (signed) {
      const given = extensions.map((e) => /^chunk-signature=([0-9a-f]{64})$/.exec(e)?.[1]).find(Boolean);
      if (!given) throw new S3Error(403, 'SignatureDoesNotMatch', 'A chunk of the streaming body has no chunk-signature.');
      const expected = await signString(['AWS4-HMAC-SHA256-PAYLOAD', auth.longDate, scope, previous, EMPTY_SHA256, sha256Hex(data)].join('\n'));
      if (!sameHex(expected, given)) {
        throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided (chunk signature of the streaming body).');
      }
      previous = given;
    }
    if (size === 0) break;
    if (raw.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw bad('a chunk is longer than its declared size');
    pos += 2;
    chunks.push(data);
  }

  // Trailer lines ("name:value"), then an empty line.
  const trailerLines = [];
  let trailerSignature = null;
  while (pos < raw.length) {
    const line = lineEnd();
    if (line === '') break;
    const i = line.indexOf(':');
    if (i < 1) throw bad('a trailer line has no name');
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (name === 'x-amz-trailer-signature') trailerSignature = value;
    else {
      trailers[name] = value;
      trailerLines.push(`${name}:${value}\n`);
    }
  }
  if (mode === STREAMING_SIGNED_TRAILER) {
    if (!trailerSignature) throw new S3Error(403, 'SignatureDoesNotMatch', 'The streaming body has no x-amz-trailer-signature.');
    const expected = await signString(['AWS4-HMAC-SHA256-TRAILER', auth.longDate, scope, previous, sha256Hex(trailerLines.join(''))].join('\n'));
    if (!sameHex(expected, trailerSignature)) {
      throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided (trailer signature of the streaming body).');
    }
  }
  return { body: Buffer.concat(chunks), trailers };
}
