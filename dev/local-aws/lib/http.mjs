// Small HTTP helpers shared by the stand-in servers (plain node:http, no
// framework): body reading, replies, listening on loopback only, access log,
// request counters and the /_local/fail-next hook.

import http from 'node:http';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** One log file per piece; lines are `ISO-time message`. */
export function createLogger(file) {
  const stream = fs.createWriteStream(file, { flags: 'w' });
  const log = (...parts) => {
    const text = parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.stack : JSON.stringify(p))).join(' ');
    stream.write(`${new Date().toISOString()} ${text}\n`);
  };
  log.file = file;
  log.close = () => new Promise((resolve) => stream.end(resolve));
  return log;
}

export async function readBody(req, limit = 1024 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function mediaType(req) {
  return String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Form body → plain object (first value wins, like most OAuth servers). */
export async function readForm(req) {
  const params = new URLSearchParams(await readBody(req));
  const out = {};
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}

export async function readJson(req) {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  return JSON.parse(text);
}

export function send(res, status, body, headers = {}) {
  if (res.headersSent) return;
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body ?? '', 'utf8');
  res.writeHead(status, { 'content-length': buf.length, ...headers });
  res.end(buf);
}

export function sendJson(res, status, value, headers = {}) {
  send(res, status, JSON.stringify(value), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

export function sendHtml(res, status, html, headers = {}) {
  send(res, status, html, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    ...headers,
  });
}

export function redirect(res, location, headers = {}) {
  send(res, 302, '', { location, 'cache-control': 'no-store', ...headers });
}

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * Wraps a handler with an access log line per request and a catch-all for
 * thrown errors (500 with a JSON body, logged with its stack).
 */
export function createServer(name, log, handler) {
  return http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`${req.method} ${redactUrl(req.url)} -> ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    try {
      await handler(req, res);
    } catch (err) {
      if (err instanceof HttpError) {
        sendJson(res, err.status, { message: err.message });
        return;
      }
      log(`error in ${name}:`, err);
      sendJson(res, 500, { message: `local ${name} stand-in failed: ${err.message}` });
    }
  });
}

// Codes, tokens and presigned-URL signatures in query strings stay out of the logs.
function redactUrl(url) {
  return String(url).replace(/([?&](?:code|code_verifier|token|refresh_token|id_token|access_token|password|x-amz-signature|x-amz-security-token|x-amz-credential)=)[^&]*/gi, '$1…');
}

/**
 * Listens on 127.0.0.1 only. Port 0 asks the OS for a free port.
 * Rejects with a clear message when the port is taken.
 */
export function listen(server, { port, host, what, envName }) {
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} for ${what} is already in use on ${host} (set ${envName} to another port, or stop what holds it: ss -ltnp 'sport = :${port}')`));
      } else {
        reject(new Error(`cannot listen on ${host}:${port} for ${what}: ${err.message}`));
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address().port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export function closeServer(server) {
  return new Promise((resolve) => {
    if (!server || !server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/**
 * Test hooks every stand-in server shares: request counters
 * (GET /_local/stats) and failures on demand (POST /_local/fail-next).
 */
export class TestHooks {
  constructor() {
    this.reset();
  }

  reset() {
    this.stats = {};
    this.failures = [];
  }

  count(key) {
    this.stats[key] = (this.stats[key] ?? 0) + 1;
  }

  /**
   * rule: { target?, status?, type?, message?, count?, delayMs? }
   * target narrows the rule to one operation/path; without it the rule hits
   * the next request of any kind (the /_local/ hooks themselves excepted).
   */
  addFailure(rule, defaults) {
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) throw new HttpError(400, 'body must be a JSON object');
    const count = rule.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new HttpError(400, 'count must be an integer >= 1');
    const status = rule.status ?? defaults.status;
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new HttpError(400, 'status must be an HTTP status code');
    if (rule.delayMs !== undefined && (!Number.isInteger(rule.delayMs) || rule.delayMs < 0 || rule.delayMs > 120000)) {
      throw new HttpError(400, 'delayMs must be an integer between 0 and 120000');
    }
    const entry = {
      id: randomUUID(),
      target: rule.target ?? null,
      status,
      type: rule.type ?? defaults.type,
      message: rule.message ?? defaults.message,
      delayMs: rule.delayMs ?? 0,
      remaining: count,
    };
    this.failures.push(entry);
    return entry;
  }

  /** Returns the failure to apply to a request for `target`, if any. */
  takeFailure(target) {
    const rule = this.failures.find((f) => f.remaining > 0 && (f.target === null || f.target === target));
    if (!rule) return null;
    rule.remaining -= 1;
    this.failures = this.failures.filter((f) => f.remaining > 0);
    return rule;
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
