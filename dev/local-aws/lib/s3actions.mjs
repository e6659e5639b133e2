// Maps an S3 REST request (path-style) to what IAM authorizes: the action,
// the resource ARN and the S3 condition keys AWS supplies with it
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).

import { S3Error } from './s3errors.mjs';

const first = (v) => (Array.isArray(v) ? v[0] : v);
const has = (query, name) => Object.hasOwn(query, name);

// Bucket sub-resources S3 addresses with a bare query name (?acl, ?uploads…).
const BUCKET_GET = {
  uploads: 's3:ListBucketMultipartUploads',
  versions: 's3:ListBucketVersions',
  location: 's3:GetBucketLocation',
  acl: 's3:GetBucketAcl',
  policy: 's3:GetBucketPolicy',
  versioning: 's3:GetBucketVersioning',
  tagging: 's3:GetBucketTagging',
  cors: 's3:GetBucketCORS',
  lifecycle: 's3:GetLifecycleConfiguration',
  encryption: 's3:GetEncryptionConfiguration',
  publicAccessBlock: 's3:GetBucketPublicAccessBlock',
  ownershipControls: 's3:GetBucketOwnershipControls',
  notification: 's3:GetBucketNotification',
  website: 's3:GetBucketWebsite',
  logging: 's3:GetBucketLogging',
  object_lock: 's3:GetBucketObjectLockConfiguration',
};
const BUCKET_PUT = {
  acl: 's3:PutBucketAcl',
  policy: 's3:PutBucketPolicy',
  versioning: 's3:PutBucketVersioning',
  tagging: 's3:PutBucketTagging',
  cors: 's3:PutBucketCORS',
  lifecycle: 's3:PutLifecycleConfiguration',
  encryption: 's3:PutEncryptionConfiguration',
  publicAccessBlock: 's3:PutBucketPublicAccessBlock',
  ownershipControls: 's3:PutBucketOwnershipControls',
  notification: 's3:PutBucketNotification',
  website: 's3:PutBucketWebsite',
  logging: 's3:PutBucketLogging',
};
const BUCKET_DELETE = {
  policy: 's3:DeleteBucketPolicy',
  tagging: 's3:PutBucketTagging',
  cors: 's3:PutBucketCORS',
  lifecycle: 's3:PutLifecycleConfiguration',
  website: 's3:DeleteBucketWebsite',
  encryption: 's3:PutEncryptionConfiguration',
};

function subresource(query, table) {
  return Object.keys(table).find((name) => has(query, name));
}

/**
 * Returns { bucket, key, kind, checks: [{ action, resource, context }] }.
 * kind: 'service' | 'bucket' | 'object'; `write` marks requests that change
 * the object at `key` (serialized per key by the front).
 */
export function classify({ method, path, query, headers }) {
  const segments = path.split('/');
  let bucket;
  let key;
  try {
    bucket = decodeURIComponent(segments[1] ?? '');
    key = segments.length > 2 ? decodeURIComponent(segments.slice(2).join('/')) : '';
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
  if (bucket === '') {
    if (method !== 'GET') throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    return { bucket, key, kind: 'service', checks: [{ action: 's3:ListAllMyBuckets', resource: '*', context: {} }] };
  }
  const bucketArn = `arn:aws:s3:::${bucket}`;

  if (key === '') {
    const check = (action, context = {}) => ({ bucket, key, kind: 'bucket', checks: [{ action, resource: bucketArn, context }] });
    switch (method) {
      case 'GET': {
        const sub = subresource(query, BUCKET_GET);
        // ListObjectVersions gets s3:prefix/delimiter/max-keys; ListMultipartUploads does not: the
        // Service Authorization Reference lists none of them for s3:ListBucketMultipartUploads, so
        // a policy conditioned on s3:prefix never allows it on AWS (and must not here).
        if (sub) return check(BUCKET_GET[sub], sub === 'versions' ? listContext(query) : {});
        // ListObjects (v1) and ListObjectsV2 both authorize as s3:ListBucket.
        return check('s3:ListBucket', listContext(query));
      }
      case 'HEAD':
        return check('s3:ListBucket');
      case 'PUT': {
        const sub = subresource(query, BUCKET_PUT);
        return check(sub ? BUCKET_PUT[sub] : 's3:CreateBucket');
      }
      case 'DELETE': {
        const sub = subresource(query, BUCKET_DELETE);
        return check(sub ? BUCKET_DELETE[sub] : 's3:DeleteBucket');
      }
      case 'POST':
        if (has(query, 'delete')) return { bucket, key, kind: 'bucket', multiDelete: true, checks: [] };
        break;
      default:
        break;
    }
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  const objectArn = `${bucketArn}/${key}`;
  const object = (action, extra = {}) => ({ bucket, key, kind: 'object', checks: [{ action, resource: objectArn, context: objectContext(headers, query) }], ...extra });
  const versioned = has(query, 'versionId');
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (has(query, 'uploadId')) return object('s3:ListMultipartUploadParts', { uploadId: first(query.uploadId) });
      if (has(query, 'acl')) return object(versioned ? 's3:GetObjectVersionAcl' : 's3:GetObjectAcl');
      if (has(query, 'tagging')) return object(versioned ? 's3:GetObjectVersionTagging' : 's3:GetObjectTagging');
      if (has(query, 'attributes')) return object(versioned ? 's3:GetObjectVersionAttributes' : 's3:GetObjectAttributes');
      if (has(query, 'retention')) return object('s3:GetObjectRetention');
      if (has(query, 'legal-hold')) return object('s3:GetObjectLegalHold');
      return object(versioned ? 's3:GetObjectVersion' : 's3:GetObject', { read: true });
    case 'PUT': {
      if (has(query, 'acl')) return object(versioned ? 's3:PutObjectVersionAcl' : 's3:PutObjectAcl');
      if (has(query, 'tagging')) return object(versioned ? 's3:PutObjectVersionTagging' : 's3:PutObjectTagging');
      if (has(query, 'retention')) return object('s3:PutObjectRetention');
      if (has(query, 'legal-hold')) return object('s3:PutObjectLegalHold');
      // UploadPart authorizes as s3:PutObject; it does not change the visible object. UploadPartCopy
      // also reads its source (s3:GetObject on it), as CopyObject does.
      if (has(query, 'partNumber') && has(query, 'uploadId')) {
        const part = object('s3:PutObject', { uploadId: first(query.uploadId) });
        if (headers['x-amz-copy-source'] !== undefined) part.checks.push(copySourceCheck(headers['x-amz-copy-source']));
        return part;
      }
      const result = object('s3:PutObject', { write: true });
      // CopyObject also needs to read the source object.
      if (headers['x-amz-copy-source'] !== undefined) result.checks.push(copySourceCheck(headers['x-amz-copy-source']));
      return result;
    }
    case 'POST':
      // CreateMultipartUpload and CompleteMultipartUpload both authorize as s3:PutObject.
      if (has(query, 'uploads')) return object('s3:PutObject');
      if (has(query, 'uploadId')) return object('s3:PutObject', { write: true, uploadId: first(query.uploadId) });
      if (has(query, 'restore')) return object('s3:RestoreObject');
      break;
    case 'DELETE':
      if (has(query, 'uploadId')) return object('s3:AbortMultipartUpload', { uploadId: first(query.uploadId) });
      if (has(query, 'tagging')) return object(versioned ? 's3:DeleteObjectVersionTagging' : 's3:DeleteObjectTagging');
      return object(versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject', { write: true });
    default:
      break;
  }
  throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
}

/** The s3:GetObject (or GetObjectVersion) check on the source of a CopyObject or UploadPartCopy. */
function copySourceCheck(source) {
  const [sourcePath, sourceQuery = ''] = String(source).split('?');
  let decoded;
  try {
    decoded = decodeURIComponent(sourcePath).replace(/^\//, '');
  } catch {
    throw new S3Error(400, 'InvalidArgument', 'Invalid copy source encoding.');
  }
  const sourceVersioned = /(^|&)versionId=/.test(sourceQuery);
  return { action: sourceVersioned ? 's3:GetObjectVersion' : 's3:GetObject', resource: `arn:aws:s3:::${decoded}`, context: {} };
}

/** The condition keys of a listing: s3:prefix, s3:delimiter, s3:max-keys, present only when the request has them. */
export function listContext(query) {
  const context = {};
  if (has(query, 'prefix')) context['s3:prefix'] = first(query.prefix);
  if (has(query, 'delimiter')) context['s3:delimiter'] = first(query.delimiter);
  if (has(query, 'max-keys')) context['s3:max-keys'] = first(query['max-keys']);
  return context;
}

function objectContext(headers, query) {
  const context = {};
  if (has(query, 'versionId')) context['s3:VersionId'] = first(query.versionId);
  for (const [header, name] of [
    ['x-amz-server-side-encryption', 's3:x-amz-server-side-encryption'],
    ['x-amz-acl', 's3:x-amz-acl'],
    ['x-amz-storage-class', 's3:x-amz-storage-class'],
    ['x-amz-copy-source', 's3:x-amz-copy-source'],
    ['x-amz-metadata-directive', 's3:x-amz-metadata-directive'],
  ]) {
    if (headers[header] !== undefined) context[name] = String(headers[header]);
  }
  if (headers['if-none-match'] !== undefined) context['s3:if-none-match'] = String(headers['if-none-match']);
  if (headers['if-match'] !== undefined) context['s3:if-match'] = String(headers['if-match']);
  return context;
}
