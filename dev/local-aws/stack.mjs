#!/usr/bin/env node
// CleanCognito local AWS stand-in stack: Cognito user pool + hosted UI,
// AppSync, Cognito Identity and S3 (moto_server), all on 127.0.0.1.
//
//   node dev/local-aws/stack.mjs [--exit-with-parent]
//
// Prints exactly one line to stdout once every piece answers:
//   LOCAL_AWS_READY {"idp":"http://127.0.0.1:9001",...}
// (or `LOCAL_AWS_FAILED {"error":...}` and exit code 1). Everything else goes
// to stderr and to one log file per piece. SIGINT/SIGTERM stop everything.
// See README.md.

import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config.mjs';
import { createLogger, listen, closeServer, sleep } from './lib/http.mjs';
import { Moto, checkPortFree, findExecutable } from './lib/moto.mjs';

const USAGE = `usage: node dev/local-aws/stack.mjs [--exit-with-parent]

  --exit-with-parent   also stop when stdin closes or the parent process dies
                       (same as LOCAL_AWS_EXIT_WITH_PARENT=1); for test fixtures
                       that start the stack with redirected stdin.
  --help               this text

Environment: LOCAL_AWS_IDP_PORT (9001), LOCAL_AWS_APPSYNC_PORT (9002),
LOCAL_AWS_IDENTITY_PORT (9004), LOCAL_AWS_S3_PORT (9005, the S3 + DynamoDB front),
LOCAL_AWS_MOTO_PORT (0: moto_server behind the front) — 0 picks a free port;
LOCAL_AWS_S3_POLICY_TEMPLATE (deploy/cleancognito.yaml),
LOCAL_AWS_BUCKET, LOCAL_AWS_LOG_DIR, LOCAL_AWS_TOKEN_TTL_SECONDS,
LOCAL_AWS_CREDENTIALS_TTL_SECONDS, LOCAL_AWS_START_TIMEOUT_SECONDS,
LOCAL_AWS_MOTO_SERVER, LOCAL_AWS_CALLBACK_URLS, LOCAL_AWS_LOGOUT_URLS,
LOCAL_AWS_APPSYNC_ACCEPT_ID_TOKENS. See dev/local-aws/README.md.
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stderr.write(USAGE);
  process.exit(0);
}
const unknown = args.filter((a) => a !== '--exit-with-parent');
if (unknown.length) {
  process.stderr.write(`local-aws: unknown argument(s): ${unknown.join(' ')}\n\n${USAGE}`);
  process.exit(2);
}
const exitWithParent = args.includes('--exit-with-parent') || process.env.LOCAL_AWS_EXIT_WITH_PARENT === '1';

const say = (line) => process.stderr.write(`local-aws: ${line}\n`);

const [nodeMajor, nodeMinor] = process.versions.node.split('.').map(Number);
if (nodeMajor < 20 || (nodeMajor === 20 && nodeMinor < 19)) {
  process.stdout.write(`LOCAL_AWS_FAILED ${JSON.stringify({ error: `Node ${process.versions.node} is too old: 20.19 or later is needed` })}\n`);
  say(`error: Node ${process.versions.node} is too old: 20.19 or later is needed (oauth2-mock-server 8.x)`);
  process.exit(1);
}
const startedAt = Date.now();

const servers = []; // { name, server }
let moto = null;
let logs = null;
let shuttingDown = false;

let config;
try {
  config = loadConfig();
} catch (err) {
  process.stdout.write(`LOCAL_AWS_FAILED ${JSON.stringify({ error: err.message })}\n`);
  say(`error: ${err.message}`);
  process.exit(1);
}

// Pre-flight, before any log file is truncated: a second stack started by
// mistake must fail without wiping the logs of the one already running.
const PORT_ENV = { idp: 'LOCAL_AWS_IDP_PORT', appsync: 'LOCAL_AWS_APPSYNC_PORT', identity: 'LOCAL_AWS_IDENTITY_PORT', s3: 'LOCAL_AWS_S3_PORT' };
try {
  if (!findExecutable(config.motoServer)) {
    throw new Error(
      `moto_server not found (looked for "${config.motoServer}" on PATH). Install it with: pip install "moto[server]" ` +
        `(or point LOCAL_AWS_MOTO_SERVER at the executable).`,
    );
  }
  for (const dep of ['oauth2-mock-server', 'jose', 'graphql', '@aws-amplify/amplify-appsync-simulator', '@smithy/signature-v4', '@aws-crypto/sha256-js', '@cloud-copilot/iam-simulate', 'yaml']) {
    try {
      import.meta.resolve(dep);
    } catch {
      throw new Error(`dependencies are not installed (no ${dep}): run \`npm ci --prefix dev/local-aws\` first`);
    }
  }
  const wanted = Object.entries(config.ports).filter(([, port]) => port !== 0);
  const dupes = wanted.filter(([, port], i) => wanted.findIndex(([, p]) => p === port) !== i);
  if (dupes.length) throw new Error(`${PORT_ENV[dupes[0][0]]}=${dupes[0][1]} is used twice: every piece needs its own port`);
  for (const [piece, port] of wanted) await checkPortFree(port, config.host, piece, PORT_ENV[piece]);
} catch (err) {
  process.stdout.write(`LOCAL_AWS_FAILED ${JSON.stringify({ error: err.message })}\n`);
  say(`error: ${err.message}`);
  process.exit(1);
}

fs.mkdirSync(config.logDir, { recursive: true });
logs = {
  stack: createLogger(path.join(config.logDir, 'stack.log')),
  idp: createLogger(path.join(config.logDir, 'idp.log')),
  appsync: createLogger(path.join(config.logDir, 'appsync.log')),
  identity: createLogger(path.join(config.logDir, 'identity.log')),
  s3: createLogger(path.join(config.logDir, 's3.log')),
};
const motoLogFile = path.join(config.logDir, 's3-moto.log');

// stdout carries only the READY line; the simulator (and anything else that
// uses console) writes into the AppSync log instead.
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  console[level] = (...parts) => logs.appsync(`[console.${level}]`, ...parts);
}

function fail(err) {
  const message = err?.message ?? String(err);
  process.stdout.write(`LOCAL_AWS_FAILED ${JSON.stringify({ error: message })}\n`);
  say(`error: ${message}`);
  return shutdown(1);
}

async function shutdown(code, reason) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (reason) say(`stopping (${reason})`);
  logs?.stack?.(`stopping (${reason ?? `exit ${code}`})`);
  const hardStop = setTimeout(() => {
    moto?.killNow();
    process.exit(code);
  }, 8000);
  hardStop.unref();
  try {
    await Promise.all([...servers.map((s) => closeServer(s.server)), moto?.stop()]);
  } catch (err) {
    say(`error while stopping: ${err.message}`);
  }
  if (logs) await Promise.all(Object.values(logs).map((l) => l.close()));
  process.exit(code);
}

process.on('exit', () => moto?.killNow());
process.on('SIGINT', () => shutdown(0, 'SIGINT'));
process.on('SIGTERM', () => shutdown(0, 'SIGTERM'));
process.on('SIGHUP', () => shutdown(0, 'SIGHUP'));
process.on('uncaughtException', (err) => {
  logs.stack('uncaught exception:', err);
  say(`uncaught exception: ${err.stack ?? err}`);
  shutdown(1);
});
process.on('unhandledRejection', (err) => {
  logs.stack('unhandled rejection:', err);
  say(`unhandled rejection: ${err?.stack ?? err}`);
  shutdown(1);
});

if (exitWithParent) {
  // The .NET fixture holds our stdin open; when it dies, stdin closes.
  process.stdin.on('end', () => shutdown(0, 'stdin closed (--exit-with-parent)'));
  process.stdin.on('close', () => shutdown(0, 'stdin closed (--exit-with-parent)'));
  process.stdin.on('error', () => shutdown(0, 'stdin error (--exit-with-parent)'));
  process.stdin.resume();
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown(0, `parent process ${parent} is gone (--exit-with-parent)`);
  }, 1000).unref();
}

async function probe(url, what, deadline) {
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (shuttingDown) throw new Error('stopped while starting');
    moto?.assertRunning();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err.cause?.code ?? err.message;
    }
    await sleep(100);
  }
  throw new Error(`${what} did not answer at ${url} within ${config.startTimeoutSeconds} s (${lastError})`);
}

async function main() {
  logs.stack(`starting (pid ${process.pid}, node ${process.version}, logs in ${config.logDir})`);
  const deadline = startedAt + config.startTimeoutSeconds * 1000;

  // moto is the slowest piece: start it first, the Node pieces meanwhile.
  moto = new Moto({ config, log: logs.stack, logFile: motoLogFile });
  await moto.start();
  moto.onUnexpectedExit = (code, signal) => {
    if (!shuttingDown) fail(new Error(`moto_server (S3) exited unexpectedly (code ${code}, signal ${signal}); see ${motoLogFile}`));
  };

  // Loaded while moto boots (the pre-flight made sure they resolve).
  const modules = await Promise.all([import('./lib/tokens.mjs'), import('./lib/idp.mjs'), import('./lib/identity.mjs'), import('./lib/appsync.mjs'), import('./lib/awsfront.mjs'), import('./lib/iampolicy.mjs'), import('./lib/credentials.mjs'), import('./lib/notes.mjs')]);
  const [{ TokenService }, { createIdp }, { createIdentity }, { createAppSync }, { createAwsFront }, { loadPolicies, PolicyEvaluator }, { CredentialRegistry, SETUP_ACCESS_KEY_ID, SETUP_SECRET_KEY }, { NotesTable }] = modules;
  const tokens = new TokenService({ issuer: config.issuer });
  await tokens.init();

  const resetAll = async () => {
    idp.reset();
    identity.reset();
    s3.reset();
    await moto.reset();
    await appsync.reset(); // after moto's reset, which also drops the DynamoDB tables
    await notes.create();
    logs.stack('reset-all: idp, appsync, identity, s3, dynamodb');
    return ['idp', 'appsync', 'identity', 's3', 'dynamodb'];
  };

  const idp = createIdp({ config, tokens, log: logs.idp, onResetAll: resetAll });
  // The keys the identity pool issues are the keys the S3 front accepts.
  const registry = new CredentialRegistry();
  const identity = createIdentity({ config, tokens, log: logs.identity, onResetAll: resetAll, registry });
  const policies = loadPolicies({ templatePath: config.s3PolicyTemplate, bucket: config.bucket, tableNames: { [NotesTable.logicalId]: config.notesTable }, region: config.region, accountId: config.accountId });
  logs.s3(`policies from ${config.s3PolicyTemplate}: ${policies.identityPolicies.map((p) => p.name).join(', ')}${policies.bucketPolicy ? ' + bucket policy' : ''}`);
  // One front for S3 and DynamoDB: the same keys, signature check and policy evaluator.
  const s3 = createAwsFront({ config, upstream: moto.url, registry, evaluator: new PolicyEvaluator({ policies, accountId: config.accountId }), log: logs.s3 });
  const notes = new NotesTable({ config, policies, endpoint: moto.url, log: logs.stack });
  // AppSync's DynamoDB data source talks to moto_server's own endpoint, not the S3 front.
  const appsync = createAppSync({ config, tokens, log: logs.appsync, onResetAll: resetAll, dynamoDbEndpoint: moto.url });

  const host = config.host;
  const idpPort = await listen(idp.server, { port: config.ports.idp, host, what: 'the Cognito user pool (idp)', envName: 'LOCAL_AWS_IDP_PORT' });
  servers.push({ name: 'idp', server: idp.server });
  idp.setPort(idpPort);
  const appsyncPort = await listen(appsync.server, { port: config.ports.appsync, host, what: 'AppSync', envName: 'LOCAL_AWS_APPSYNC_PORT' });
  servers.push({ name: 'appsync', server: appsync.server });
  const identityPort = await listen(identity.server, { port: config.ports.identity, host, what: 'Cognito Identity', envName: 'LOCAL_AWS_IDENTITY_PORT' });
  servers.push({ name: 'identity', server: identity.server });
  const s3Port = await listen(s3.server, { port: config.ports.s3, host, what: 'S3 (the front before moto_server)', envName: 'LOCAL_AWS_S3_PORT' });
  servers.push({ name: 's3', server: s3.server });

  const urls = {
    idp: `http://${host}:${idpPort}`,
    appsync: `http://${host}:${appsyncPort}/graphql`,
    identity: `http://${host}:${identityPort}`,
    s3: `http://${host}:${s3Port}`,
  };

  await Promise.all([
    probe(`${idp.discoveryUrl}`, 'the user pool', deadline),
    probe(`http://${host}:${appsyncPort}/_local/health`, 'AppSync', deadline),
    probe(`${urls.identity}/_local/health`, 'Cognito Identity', deadline),
    probe(`${moto.url}/moto-api/data.json`, 'moto_server (S3)', deadline),
    probe(`${urls.s3}/_local/health`, 'the S3 front', deadline),
  ]);
  await moto.ensureBucket();
  await appsync.reset(); // the objects table, from the template, with the seed data
  await notes.create(); // the notes table, key schema from the template

  const clientIds = Object.fromEntries(config.clients.map((c) => [c.role, c.id]));
  const ready = {
    idp: urls.idp,
    userPoolId: config.userPoolId,
    issuer: config.issuer,
    discovery: idp.discoveryUrl,
    jwks: `${urls.idp}/${config.userPoolId}/.well-known/jwks.json`,
    appsync: urls.appsync,
    identity: urls.identity,
    s3: urls.s3,
    // DynamoDB is served by the same front as S3 (one SigV4 + IAM front).
    dynamodb: urls.s3,
    notesTable: config.notesTable,
    // moto itself, unauthenticated: for stand-ins that use it as a backend (never for S3 clients).
    moto: moto.url,
    // The documented set-up key: full access to the bucket, for fixtures and tests (not a user).
    s3SetupKey: { accessKeyId: SETUP_ACCESS_KEY_ID, secretAccessKey: SETUP_SECRET_KEY },
    s3PolicyTemplate: config.s3PolicyTemplate,
    bucket: config.bucket,
    identityPoolId: config.identityPoolId,
    loginsKey: config.loginsKey,
    region: config.region,
    accountId: config.accountId,
    clients: clientIds,
    clientSecrets: Object.fromEntries(config.clients.filter((c) => c.secret).map((c) => [c.id, c.secret])),
    users: config.users.map((u) => ({ username: u.username, password: u.password, email: u.email, sub: u.sub, groups: u.groups })),
    logDir: config.logDir,
    pid: process.pid,
    s3Pid: moto.pid,
  };
  const elapsed = Date.now() - startedAt;
  logs.stack(`ready in ${elapsed} ms`, ready);
  process.stdout.write(`LOCAL_AWS_READY ${JSON.stringify(ready)}\n`);

  process.stderr.write(
    [
      `local-aws: ready in ${(elapsed / 1000).toFixed(1)} s${exitWithParent ? ' (exits with its parent)' : ''}`,
      `  Cognito user pool  ${urls.idp}   pool ${config.userPoolId}`,
      `    discovery        ${idp.discoveryUrl}`,
      `    hosted UI        ${urls.idp}/oauth2/authorize`,
      `    issuer (iss)     ${config.issuer}`,
      `    clients          ${config.clients.map((c) => `${c.id}${c.secret ? ` (secret ${c.secret})` : ''}`).join(', ')}`,
      `    users            ${config.users.map((u) => `${u.username} / ${u.password}${u.groups.length > 3 ? ` [${u.groups.length} groups]` : u.groups.length ? ` [${u.groups.join(',')}]` : ''}`).join(', ')}`,
      `  AppSync            ${urls.appsync}`,
      `  Cognito Identity   ${urls.identity}   pool ${config.identityPoolId}`,
      `  S3                 ${urls.s3}   bucket ${config.bucket} (SigV4 + IAM policy of ${path.relative(process.cwd(), config.s3PolicyTemplate) || config.s3PolicyTemplate})`,
      `  DynamoDB           ${urls.s3}   table ${config.notesTable} (the same front: SigV4 + IAM policy)`,
      `    set-up key       ${SETUP_ACCESS_KEY_ID} / ${SETUP_SECRET_KEY}`,
      `    moto_server      ${moto.url}   (behind the front; no auth)`,
      `  logs               ${config.logDir}`,
      `  Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
}

main().catch((err) => fail(err));
