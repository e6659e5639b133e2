// Signing and verifying the user pool's JWTs.
//
// Signing uses oauth2-mock-server's OAuth2Issuer and its JWK store (RS256,
// `kid` in the header); the JWKS it publishes is what the app validates
// against. Verification (for the AppSync front check, the identity pool and
// userInfo) uses jose against the same public keys, so every piece of the
// stack refuses forged, foreign and expired tokens as AWS does.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { OAuth2Issuer } from 'oauth2-mock-server';
import * as jose from 'jose';

export class TokenError extends Error {
  /** reason: malformed | signature | issuer | expired | token_use | audience | client */
  constructor(reason, message, payload) {
    super(message);
    this.reason = reason;
    this.payload = payload;
  }
}

export class TokenService {
  constructor({ issuer }) {
    this.issuerUrl = issuer;
    this.issuer = new OAuth2Issuer();
    this.issuer.url = issuer;
  }

  async init() {
    // A Cognito-looking kid (base64 of 32 random bytes). A new key per start:
    // tokens from an earlier run of the stack no longer verify.
    const kid = randomBytes(32).toString('base64');
    const key = await this.issuer.keys.generate('RS256', { kid });
    this.kid = key.kid;
    this.jwks = { keys: this.issuer.keys.toJSON().map((k) => ({ alg: k.alg, e: k.e, kid: k.kid, kty: k.kty, n: k.n, use: 'sig' })) };
    this.keySet = jose.createLocalJWKSet(this.jwks);
  }

  /**
   * A new signing key replaces the old one, as a restart of the stack does (and as
   * Cognito's key rotation looks to a client that cached the old JWKS): tokens
   * signed before no longer verify. Returns the new kid.
   */
  async rotate() {
    this.issuer = new OAuth2Issuer();
    this.issuer.url = this.issuerUrl;
    await this.init();
    return this.kid;
  }

  /**
   * Signs `claims` with iat = now and exp = now + expiresIn (negative values
   * give an already-expired token, for tests). Cognito tokens carry no nbf.
   */
  async sign(claims, expiresIn) {
    return this.issuer.buildToken({
      kid: this.kid,
      expiresIn,
      scopesOrTransform: (_header, payload) => {
        delete payload.nbf;
        Object.assign(payload, claims);
      },
    });
  }

  /**
   * Verifies signature (RS256, our keys), issuer and expiry, then token_use.
   * Throws TokenError with a reason the caller maps to its own error text.
   */
  async verify(token, { tokenUse } = {}) {
    if (typeof token !== 'string' || token.split('.').length !== 3) {
      throw new TokenError('malformed', 'not a JWT');
    }
    let payload;
    try {
      payload = jose.decodeJwt(token);
      jose.decodeProtectedHeader(token);
    } catch {
      throw new TokenError('malformed', 'not a JWT');
    }
    try {
      ({ payload } = await jose.jwtVerify(token, this.keySet, { algorithms: ['RS256'] }));
    } catch (err) {
      if (err.code === 'ERR_JWT_EXPIRED') throw new TokenError('expired', 'token expired', payload);
      if (err.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') throw new TokenError('malformed', err.message, payload);
      throw new TokenError('signature', `signature not verified (${err.code ?? err.message})`, payload);
    }
    if (payload.iss !== this.issuerUrl) throw new TokenError('issuer', `unexpected iss ${payload.iss}`, payload);
    if (typeof payload.exp !== 'number') throw new TokenError('malformed', 'no exp claim', payload);
    if (tokenUse && payload.token_use !== tokenUse) {
      throw new TokenError('token_use', `token_use is ${payload.token_use ?? '(none)'}, expected ${tokenUse}`, payload);
    }
    return payload;
  }
}

/** at_hash: left half of SHA-256 of the access token, base64url (OIDC core 3.1.3.6). */
export function atHash(accessToken) {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** Opaque refresh token (Cognito's are long encrypted blobs; ours are random). */
export function newRefreshToken() {
  return randomBytes(96).toString('base64url');
}

export { randomUUID };
