// Configuration of the local AWS stand-in stack: fixed identities (pool ids,
// clients, users) and the environment variables that change ports and
// lifetimes. Everything here is local-only test data: none of these secrets
// or passwords exist anywhere in AWS.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));

export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';
export const USER_POOL_ID = 'us-east-1_CcLocal01';
export const IDENTITY_POOL_ID = 'us-east-1:00000000-0000-4000-8000-00000000c0de';
// Cognito's issuer form. The AppSync simulator only treats a token as a user
// pool token when `iss` starts with https://cognito-idp., so the stand-in
// issues this string even though it is served from http://127.0.0.1.
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;
// The identity pool's Logins key: the issuer without https://.
export const LOGINS_KEY = ISSUER.replace(/^https:\/\//, '');

const DAY = 24 * 3600;

function intEnv(name, fallback, { min = 0 } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function portEnv(name, fallback) {
  const port = intEnv(name, fallback);
  if (port > 65535) throw new Error(`${name} must be a TCP port (0-65535), got ${port}`);
  return port;
}

function listEnv(name) {
  return (process.env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

// Scopes every client may ask for (Cognito's built-in OAuth scopes).
export const ALLOWED_SCOPES = ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'];

/**
 * Reads the environment. Called once by stack.mjs; the result is passed to
 * every piece so nothing else reads process.env.
 */
export function loadConfig(env = process.env) {
  const defaultTtl = intEnv('LOCAL_AWS_TOKEN_TTL_SECONDS', 3600, { min: 1 });
  const extraCallbacks = listEnv('LOCAL_AWS_CALLBACK_URLS');
  const extraLogouts = listEnv('LOCAL_AWS_LOGOUT_URLS');

  const callbackUrls = ['http://localhost:5080/signin-oidc', 'http://127.0.0.1:5080/signin-oidc', ...extraCallbacks];
  const logoutUrls = ['http://localhost:5080/Account/SignedOut', 'http://127.0.0.1:5080/Account/SignedOut', ...extraLogouts];

  const client = (props) => ({
    secret: null,
    accessTokenTtl: defaultTtl,
    idTokenTtl: defaultTtl,
    refreshTokenTtl: 30 * DAY,
    scopes: ALLOWED_SCOPES,
    callbackUrls,
    logoutUrls,
    // Stand-in relaxation (real Cognito matches callback/logout URLs exactly):
    // any port on 127.0.0.1/localhost with these paths, so tests can run the
    // app on a random port.
    loopbackCallbackPath: '/signin-oidc',
    loopbackLogoutPath: '/Account/SignedOut',
    ...props,
  });

  const clients = [
    client({ id: 'cleancognito-local', role: 'public' }),
    client({ id: 'cleancognito-confidential', role: 'confidential', secret: 'local-client-secret' }),
    client({ id: 'cleancognito-shortlived', role: 'shortlived', accessTokenTtl: 5, idTokenTtl: 5 }),
  ];

  const users = [
    {
      username: 'alice',
      password: 'Alice-Passw0rd!',
      sub: '8f3c1d2e-5b6a-4c7d-9e8f-a1b2c3d4e5f6',
      email: 'alice@example.com',
      emailVerified: true,
      groups: ['editors'],
    },
    {
      username: 'bob',
      password: 'Bob-Passw0rd!',
      sub: '2b7e4f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b',
      email: 'bob@example.com',
      emailVerified: true,
      groups: [],
    },
    {
      // Sixty long group names make both tokens larger than one ~4 KB cookie: the app must
      // split them into chunks (and clear every chunk at sign-out).
      username: 'carol',
      password: 'Carol-Passw0rd!',
      sub: '5d2a8c4e-1f3b-4a6d-9c7e-2b4d6f8a0c1e',
      email: 'carol@example.com',
      emailVerified: true,
      groups: Array.from({ length: 60 }, (_, i) => `cleancognito-example-department-team-${String(i + 1).padStart(2, '0')}-members`),
    },
  ];

  return {
    region: REGION,
    accountId: ACCOUNT_ID,
    userPoolId: USER_POOL_ID,
    identityPoolId: IDENTITY_POOL_ID,
    issuer: ISSUER,
    loginsKey: LOGINS_KEY,
    host: '127.0.0.1',
    ports: {
      idp: portEnv('LOCAL_AWS_IDP_PORT', 9001),
      appsync: portEnv('LOCAL_AWS_APPSYNC_PORT', 9002),
      identity: portEnv('LOCAL_AWS_IDENTITY_PORT', 9004),
      s3: portEnv('LOCAL_AWS_S3_PORT', 9005),
    },
    // moto_server, behind the AWS front (lib/awsfront.mjs) on an internal port; 0 = any free port.
    motoPort: portEnv('LOCAL_AWS_MOTO_PORT', 0),
    // The template whose authenticated-role and bucket policies the AWS front (S3 + DynamoDB)
    // enforces, and whose NotesTable key schema the local notes table gets.
    s3PolicyTemplate: path.resolve(env.LOCAL_AWS_S3_POLICY_TEMPLATE || path.join(HERE, '..', '..', 'deploy', 'cleancognito.yaml')),
    bucket: env.LOCAL_AWS_BUCKET || 'cleancognito-local-files',
    // The template's NotesTable, under its local name (created at start and after a reset).
    notesTable: 'cleancognito-local-notes',
    logDir: path.resolve(env.LOCAL_AWS_LOG_DIR || path.join(HERE, '.logs')),
    credentialsTtl: intEnv('LOCAL_AWS_CREDENTIALS_TTL_SECONDS', 3600, { min: 1 }),
    startTimeoutSeconds: intEnv('LOCAL_AWS_START_TIMEOUT_SECONDS', 60, { min: 1 }),
    motoServer: env.LOCAL_AWS_MOTO_SERVER || 'moto_server',
    appsyncAcceptIdTokens: env.LOCAL_AWS_APPSYNC_ACCEPT_ID_TOKENS === '1',
    authCodeTtl: 300,
    sessionTtl: 3600,
    clients,
    users,
  };
}
