// The access keys the S3 front accepts, shared in memory between the identity
// stand-in (which issues them) and the S3 front (which verifies signatures
// with them): one process, so no network hop and no file.
//
// Besides the keys the identity pool hands out, one fixed set-up key exists
// for fixtures and tests that must write or read the bucket without being a
// user (the bucket owner's key, in AWS terms). It is local test data only.

export const SETUP_ACCESS_KEY_ID = 'AKIALOCALSETUP000001';
export const SETUP_SECRET_KEY = 'local-setup-secret-not-an-aws-key';

export class CredentialRegistry {
  constructor() {
    this.keys = new Map();
  }

  /** Remembers credentials the identity pool returned to a caller. */
  issued({ accessKeyId, secretKey, sessionToken, expiration, identityId }) {
    this.prune();
    this.keys.set(accessKeyId, { accessKeyId, secretKey, sessionToken, expiresAt: expiration * 1000, identityId, setup: false });
  }

  /** The key's entry, or null for a key nobody issued. */
  lookup(accessKeyId) {
    if (accessKeyId === SETUP_ACCESS_KEY_ID) {
      return { accessKeyId, secretKey: SETUP_SECRET_KEY, sessionToken: null, expiresAt: Infinity, identityId: null, setup: true };
    }
    return this.keys.get(accessKeyId) ?? null;
  }

  // Expired keys are kept for an hour so a late request still gets AWS's
  // ExpiredToken rather than InvalidAccessKeyId; after that they are dropped.
  prune(now = Date.now()) {
    for (const [id, entry] of this.keys) if (entry.expiresAt + 3600_000 < now) this.keys.delete(id);
  }
}
