// Who signed a request to the AWS front: the access key (one the identity stand-in issued, or the
// set-up key), its session token and expiry, and a SigV4 signature that verifies for the service
// the request is for. Shared by the S3 and DynamoDB sides; failures are S3Error with S3's codes
// (the DynamoDB side translates them into its own error types).

import { S3Error } from './s3errors.mjs';
import { readAuth, verifyRequest } from './sigv4.mjs';

/**
 * Returns { auth, key, signer }. `rawPath` is the path exactly as received; `body` is needed for
 * services that sign the payload without an x-amz-content-sha256 header (DynamoDB).
 */
export async function authenticate({ req, rawPath, query, registry, service = 's3', body }) {
  const auth = readAuth(req.headers, query);
  if (!auth) throw new S3Error(403, 'AccessDenied', 'Access Denied');
  const key = registry.lookup(auth.accessKeyId);
  if (!key) throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: auth.accessKeyId });
  if (!key.setup && auth.sessionToken !== key.sessionToken) {
    throw new S3Error(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
  }
  // The URL's own expiry first (S3 answers AccessDenied "Request has expired"), then the signature.
  const { signer } = await verifyRequest({ auth, key, method: req.method, rawPath, query, headers: req.headers, service, body });
  if (Date.now() >= key.expiresAt) throw new S3Error(400, 'ExpiredToken', 'The provided token has expired.');
  return { auth, key, signer };
}
