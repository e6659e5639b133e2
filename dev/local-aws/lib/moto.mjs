// S3 stand-in: moto_server as a child process on 127.0.0.1.
//
// It runs in its own process group (so stopping kills the pyenv shim chain
// and python together) and, where util-linux's setpriv exists, with a parent
// death signal: if this Node process is killed with SIGKILL, moto goes too.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { sleep } from './http.mjs';

/** Finds an executable on PATH (or checks an explicit path). */
export function findExecutable(name) {
  const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, name));
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // keep looking
    }
  }
  return null;
}

/** Resolves to the port when host:port is free (0 → a free port the OS picks). */
export function checkPortFree(port, host, what, envName) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err) => {
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} for ${what} is already in use on ${host} (set ${envName} to another port, or stop what holds it: ss -ltnp 'sport = :${port}')`));
      } else {
        reject(new Error(`cannot use ${host}:${port} for ${what}: ${err.message}`));
      }
    });
    probe.listen(port, host, () => {
      const actual = probe.address().port;
      probe.close(() => resolve(actual));
    });
  });
}

export class Moto {
  constructor({ config, log, logFile }) {
    this.config = config;
    this.log = log;
    this.logFile = logFile;
    this.child = null;
    this.exited = null; // { code, signal } once the child is gone
    this.onUnexpectedExit = null;
    this.stopping = false;
  }

  get url() {
    return `http://${this.config.host}:${this.port}`;
  }

  async start() {
    const exe = findExecutable(this.config.motoServer);
    if (!exe) {
      throw new Error(
        `moto_server not found (looked for "${this.config.motoServer}" on PATH). Install it with: pip install "moto[server]" ` +
          `(or point LOCAL_AWS_MOTO_SERVER at the executable).`,
      );
    }
    this.port = await checkPortFree(this.config.motoPort, this.config.host, 'moto_server (behind the S3 front)', 'LOCAL_AWS_MOTO_PORT');
    const args = ['-H', this.config.host, '-p', String(this.port)];
    const setpriv = findExecutable('setpriv');
    const [cmd, argv] = setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', exe, ...args]] : [exe, args];

    const out = fs.openSync(this.logFile, 'w');
    this.log(`starting ${[cmd, ...argv].join(' ')}`);
    this.child = spawn(cmd, argv, {
      detached: true, // own process group: stop() kills -pid
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        AWS_DEFAULT_REGION: this.config.region,
        AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
        AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
        PYTHONUNBUFFERED: '1',
      },
    });
    fs.closeSync(out);
    this.pid = this.child.pid;
    this.log(`moto_server pid ${this.pid} (process group ${this.pid})`);
    this.child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      if (!this.stopping) {
        this.log(`moto_server exited unexpectedly (code ${code}, signal ${signal})`);
        this.onUnexpectedExit?.(code, signal);
      }
    });
    this.child.on('error', (err) => {
      this.exited = { code: null, signal: null, error: err };
      this.log(`moto_server failed to start: ${err.message}`);
    });
  }

  /** Throws with moto's last log lines if it died during start-up. */
  assertRunning() {
    if (!this.exited) return;
    let tail = '';
    try {
      tail = fs.readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-8).join('\n');
    } catch {
      // no log
    }
    throw new Error(`moto_server exited during start-up (code ${this.exited.code}, signal ${this.exited.signal}).${tail ? `\nLast lines of ${this.logFile}:\n${tail}` : ''}`);
  }

  async ensureBucket() {
    const res = await fetch(`${this.url}/${this.config.bucket}`, { method: 'PUT' });
    const text = await res.text();
    // 409 BucketAlreadyOwnedByYou is fine (already there).
    if (!res.ok && res.status !== 409) throw new Error(`could not create bucket ${this.config.bucket}: HTTP ${res.status} ${text.slice(0, 300)}`);
    this.log(`bucket ${this.config.bucket} ready`);
  }

  /** moto's own reset (all services), then the bucket again. */
  async reset() {
    const res = await fetch(`${this.url}/moto-api/reset`, { method: 'POST' });
    if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    await this.ensureBucket();
    this.log('reset (bucket emptied and re-created)');
  }

  async stop() {
    if (!this.child || this.exited) return;
    this.stopping = true;
    const pid = this.child.pid;
    const gone = new Promise((resolve) => this.child.once('exit', resolve));
    const kill = (signal) => {
      try {
        process.kill(-pid, signal); // the whole group: shim, pyenv, python
      } catch {
        try {
          this.child.kill(signal);
        } catch {
          // already gone
        }
      }
    };
    kill('SIGTERM');
    const timedOut = await Promise.race([gone.then(() => false), sleep(3000).then(() => true)]);
    if (timedOut) {
      this.log('moto_server ignored SIGTERM for 3 s; sending SIGKILL');
      kill('SIGKILL');
      await Promise.race([gone, sleep(2000)]);
    }
    // Anything left in the group (should be nothing) goes too.
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // group empty
    }
    this.log('moto_server stopped');
  }

  /** Last resort from a synchronous 'exit' handler. */
  killNow() {
    if (this.child && !this.exited) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}
