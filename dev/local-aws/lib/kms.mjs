// KMS stand-in: moto_server's own KMS (the same process that serves S3 and
// DynamoDB), with one symmetric key for the app's Data Protection key ring
// (DataProtection:KmsKeyId), as the template's DataProtectionKey.
//
// The app reaches moto directly, not through the SigV4 front: moto does not
// check signatures, which is fine here because on AWS these calls are signed
// with the task role's credentials, never a user's (see README.md).
//
// The app is given an alias, which KMS accepts wherever it takes a key id, so
// that `/_local/reset-all` (moto's reset drops every key) can put a new key
// behind the same name without the app's setting going stale.

export const KEY_ALIAS = 'alias/cleancognito-local-keyring';

async function call(motoUrl, region, action, body) {
  const res = await fetch(motoUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `TrentService.${action}`,
      // moto reads the Region from the credential scope; the signature is not checked.
      Authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/${region}/kms/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`KMS ${action} at moto failed: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text || '{}');
}

/** Creates the key ring's symmetric key behind KEY_ALIAS; resolves to { alias, keyId, arn }. */
export async function createKeyRingKey({ motoUrl, region, log }) {
  const { KeyMetadata: key } = await call(motoUrl, region, 'CreateKey', {
    Description: 'CleanCognito local: encrypts the Data Protection key ring (DataProtection:KmsKeyId)',
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeySpec: 'SYMMETRIC_DEFAULT',
  });
  await call(motoUrl, region, 'CreateAlias', { AliasName: KEY_ALIAS, TargetKeyId: key.KeyId });
  log(`kms key ${key.KeyId} (${KEY_ALIAS}) ready`);
  return { alias: KEY_ALIAS, keyId: key.KeyId, arn: key.Arn };
}
