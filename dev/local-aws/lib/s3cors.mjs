// CORS on the S3 front, as S3 evaluates a bucket's CORS configuration
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html, "How does Amazon S3 evaluate
// the CORS configuration on a bucket?", and the OPTIONS object API): the rules are the files
// bucket's CorsConfiguration in deploy/cleancognito.yaml, never a copy. Only the origins change:
// the template names the app's hosted origins (https://<AppHost> and the ExtraCallbackHosts), which
// stand for the local app's origins here (LOCAL_AWS_CORS_ORIGINS).
//
//   - a preflight (OPTIONS) is answered from the first rule whose AllowedOrigins match Origin, whose
//     AllowedMethods hold Access-Control-Request-Method and whose AllowedHeaders match every header
//     of Access-Control-Request-Headers; no such rule: 403 "CORSResponse: This CORS request is not
//     allowed…"; no Origin: 400. Preflights carry no credentials and are not authenticated.
//   - an actual request with an Origin gets the CORS headers of the first rule matching its origin
//     and method (on errors too); otherwise none (the browser then hides the answer).

import { S3Error } from './s3errors.mjs';

const NOT_ALLOWED = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);

/** S3's patterns: at most one "*", matching any characters. */
function pattern(text, { ignoreCase }) {
  const escaped = text.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '');
}

/**
 * The bucket's CORS rules from its CloudFormation properties. `localOrigins` replaces every
 * AllowedOrigins entry that is an intrinsic over AppHost / ExtraCallbackHosts (the hosted app's
 * origins); literal origins stay. Anything else that is not a literal stops the start: a rule the
 * front cannot follow must not be half-applied.
 */
export function corsRulesFrom(bucketProperties, localOrigins, where) {
  const rules = bucketProperties?.CorsConfiguration?.CorsRules;
  if (rules === undefined) return null;
  if (!Array.isArray(rules)) throw new Error(`${where}: CorsConfiguration.CorsRules must be a list`);
  const appOrigin = (value) => typeof value === 'object' && value !== null && /"AppHost"|\$\{AppHost\}|"ExtraCallbackHosts"/.test(JSON.stringify(value));
  return rules.map((rule, i) => {
    const literalList = (name) => {
      const value = rule[name] ?? [];
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${where}: CorsRules[${i}].${name} must be a list of literal strings for the local S3 front`);
      return value;
    };
    let origins = rule.AllowedOrigins;
    if (appOrigin(origins)) origins = [...localOrigins];
    else if (Array.isArray(origins)) origins = origins.flatMap((o) => (typeof o === 'string' ? [o] : appOrigin(o) ? localOrigins : [null]));
    if (!Array.isArray(origins) || origins.length === 0 || origins.includes(null)) {
      throw new Error(`${where}: CorsRules[${i}].AllowedOrigins must be literal origins or intrinsics over AppHost/ExtraCallbackHosts`);
    }
    const methods = literalList('AllowedMethods');
    if (methods.length === 0 || methods.some((m) => !METHODS.has(m))) throw new Error(`${where}: CorsRules[${i}].AllowedMethods must be GET, PUT, POST, DELETE or HEAD`);
    const maxAge = rule.MaxAge;
    if (maxAge !== undefined && !Number.isInteger(maxAge)) throw new Error(`${where}: CorsRules[${i}].MaxAge must be a literal integer`);
    const headers = literalList('AllowedHeaders');
    return {
      origins,
      originPatterns: origins.map((o) => pattern(o, { ignoreCase: false })),
      methods,
      headers,
      headerPatterns: headers.map((h) => pattern(h, { ignoreCase: true })),
      exposed: literalList('ExposedHeaders'),
      maxAge,
    };
  });
}

function headersOf(rule, origin) {
  const wildcard = rule.origins.includes('*');
  const headers = {
    'access-control-allow-origin': wildcard ? '*' : origin,
    'access-control-allow-methods': rule.methods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!wildcard) headers['access-control-allow-credentials'] = 'true';
  if (rule.exposed.length) headers['access-control-expose-headers'] = rule.exposed.join(', ');
  if (rule.maxAge !== undefined) headers['access-control-max-age'] = String(rule.maxAge);
  return headers;
}

const originMatches = (rule, origin) => rule.originPatterns.some((p) => p.test(origin));

export class S3Cors {
  /** `rules`: corsRulesFrom(...) (null = the bucket has no CORS configuration); `bucket`: the local bucket. */
  constructor({ rules, bucket }) {
    this.rules = rules;
    this.bucket = bucket;
  }

  /** Answers an OPTIONS request, or throws S3Error as S3 does. */
  preflight(req, res, requestId) {
    const origin = req.headers.origin;
    const method = req.headers['access-control-request-method'];
    const bucket = decodeURIComponent(req.url.split('?')[0].split('/')[1] ?? '');
    if (origin === undefined) throw new S3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
    if (bucket !== this.bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
    if (!this.rules) throw new S3Error(403, 'AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.', { Method: String(method ?? ''), ResourceType: 'BUCKET' });
    if (method === undefined || !METHODS.has(method)) throw new S3Error(400, 'BadRequest', `Invalid Access-Control-Request-Method: ${method ?? 'null'}`);
    const requested = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const rule = this.rules.find((r) => originMatches(r, origin) && r.methods.includes(method) && requested.every((h) => r.headerPatterns.some((p) => p.test(h))));
    if (!rule) throw new S3Error(403, 'AccessForbidden', NOT_ALLOWED, { Method: method, ResourceType: 'OBJECT' });
    const headers = { ...headersOf(rule, origin), 'x-amz-request-id': requestId, 'content-length': 0 };
    if (requested.length) headers['access-control-allow-headers'] = requested.join(', ');
    res.writeHead(200, headers);
    res.end();
  }

  /** The CORS headers an actual (non-OPTIONS) request gets, or {}. */
  responseHeaders(req) {
    const origin = req.headers.origin;
    if (origin === undefined || !this.rules) return {};
    const rule = this.rules.find((r) => originMatches(r, origin) && r.methods.includes(req.method));
    return rule ? headersOf(rule, origin) : {};
  }
}
