// DynamoDB's own error shape (JSON 1.0): HTTP 400 (500 for the front's own failures),
// body {"__type":"<namespace>#<Type>","message":"…"}, header x-amzn-RequestId. The namespaces and the
// capitalisation of "Message" follow what DynamoDB sends: the authentication and authorization
// errors come from its service framework ("com.amazon.coral.service#…"; AccessDeniedException's text is
// in "Message"), the API's own errors from its model ("com.amazonaws.dynamodb.v20120810#…"). The AWS
// SDKs read the type after the '#' and accept either spelling of the message.

import { randomBytes } from 'node:crypto';

const CORAL = 'com.amazon.coral.service';
const DYNAMODB = 'com.amazonaws.dynamodb.v20120810';
const NAMESPACES = {
  AccessDeniedException: CORAL,
  UnrecognizedClientException: CORAL,
  ExpiredTokenException: CORAL,
  InvalidSignatureException: CORAL,
  IncompleteSignatureException: CORAL,
  MissingAuthenticationTokenException: CORAL,
  SerializationException: CORAL,
  UnknownOperationException: CORAL,
  RequestEntityTooLargeException: CORAL,
  ValidationException: 'com.amazon.coral.validate',
  InternalFailure: CORAL,
  ServiceUnavailable: CORAL,
  ThrottlingException: 'com.amazon.coral.availability',
};

export class DynamoDbError extends Error {
  constructor(type, message, status = 400) {
    super(message);
    this.type = type;
    this.code = type;
    this.status = status;
  }
}

export function newDynamoDbRequestId() {
  // DynamoDB's request ids are 52 upper-case base-32 characters.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return Array.from(randomBytes(52), (b) => alphabet[b % 32]).join('');
}

export function errorBody(err) {
  const namespace = NAMESPACES[err.type] ?? DYNAMODB;
  const messageKey = err.type === 'AccessDeniedException' ? 'Message' : 'message';
  return JSON.stringify({ __type: `${namespace}#${err.type}`, [messageKey]: err.message });
}

export function sendDynamoDbError(req, res, err, requestId) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(errorBody(err), 'utf8');
  const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId, 'content-length': body.length };
  if (!req.complete) headers.connection = 'close';
  res.writeHead(err.status, headers);
  res.end(body);
  if (!req.complete) req.resume();
}

// S3's authentication codes (what sigv4.mjs and authenticate.mjs throw) → DynamoDB's error types,
// with the messages DynamoDB gives.
const FROM_S3 = {
  AccessDenied: ['MissingAuthenticationTokenException', 'Request is missing Authentication Token'],
  InvalidAccessKeyId: ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  InvalidToken: ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  ExpiredToken: ['ExpiredTokenException', 'The security token included in the request is expired'],
  SignatureDoesNotMatch: ['InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'],
  RequestTimeTooSkewed: ['InvalidSignatureException', 'Signature expired: the request time is more than 15 minutes away from the server time.'],
  AuthorizationHeaderMalformed: ['IncompleteSignatureException', 'The Authorization header is malformed.'],
  InvalidRequest: ['IncompleteSignatureException', 'Authorization header requires the AWS4-HMAC-SHA256 algorithm.'],
};

/** The DynamoDB error for an authentication failure thrown with S3's codes. */
export function fromS3AuthError(err) {
  const [type, message] = FROM_S3[err.code] ?? ['InvalidSignatureException', err.message];
  // Keep the specific reason for a wrong service scope (DynamoDB names it too).
  if (err.code === 'SignatureDoesNotMatch' && /scoped to correct service/.test(err.message)) return new DynamoDbError(type, err.message);
  return new DynamoDbError(type, message);
}
