// Starts the real release build of the server on a free loopback port with a fresh SQLite
// database in a temporary folder, and stops it afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Options: `dir` reuses a data folder (kept on stop: the caller owns it), `port` a fixed port
 * (to restart "the same" server), `buildId` a deployment label (a new one looks like a new
 * deployment to installed service workers), `adminToken` switches on the admin import.
 */
export async function startServer({ dir: givenDir, port = 0, buildId = '', adminToken = '' } = {}) {
  const dir = givenDir ?? mkdtempSync(join(tmpdir(), 'cartobarrio-e2e-'));
  const bin = process.env.CARTOBARRIO_BIN ?? join(root, 'target', 'release', 'cartobarrio');
  const child = spawn(bin, ['serve'], {
    cwd: root,
    env: {
      ...process.env,
      CARTOBARRIO_ADDR: `127.0.0.1:${port}`,
      CARTOBARRIO_BUILD_ID: buildId,
      CARTOBARRIO_ADMIN_TOKEN: adminToken,
      CARTOBARRIO_DB: join(dir, 'cartobarrio.sqlite3'),
      CARTOBARRIO_LOG: process.env.CARTOBARRIO_LOG ?? 'warn',
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? join(root, 'target', 'site'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/escuchando en (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited early with code ${code}; is it built? (${bin})`));
    });
  });
  return {
    url,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!givenDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port that is free right now on loopback. */
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}
