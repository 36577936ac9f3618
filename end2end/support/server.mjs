// Starts the real release build of the server on a free loopback port with a fresh SQLite
// database in a temporary folder, and stops it afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The admin account every test server has, made with `cartobarrio create-admin`. */
export const ADMIN = { username: 'admin', password: 'clave de prueba e2e' };

/**
 * Options: `dir` reuses a data folder (kept on stop: the caller owns it; its admin is made
 * once), `port` a fixed port (to restart "the same" server), `buildId` a deployment label (a
 * new one looks like a new deployment to installed service workers).
 */
export async function startServer({ dir: givenDir, port = 0, buildId = '' } = {}) {
  const dir = givenDir ?? mkdtempSync(join(tmpdir(), 'cartobarrio-e2e-'));
  const bin = process.env.CARTOBARRIO_BIN ?? join(root, 'target', 'release', 'cartobarrio');
  const db = join(dir, 'cartobarrio.sqlite3');
  // The first admin, as an operator makes it: the password from the environment.
  const made = spawnSync(bin, ['create-admin', '--username', ADMIN.username, '--display-name', 'Administración (pruebas)'], {
    cwd: root,
    env: { ...process.env, CARTOBARRIO_DB: db, CARTOBARRIO_NEW_PASSWORD: ADMIN.password, CARTOBARRIO_LOG: 'warn' },
    encoding: 'utf8',
  });
  if (made.status !== 0 && !/Ya hay una cuenta/.test(made.stderr)) {
    throw new Error(`create-admin failed: ${made.stderr || made.error}`);
  }
  const child = spawn(bin, ['serve'], {
    cwd: root,
    env: {
      ...process.env,
      CARTOBARRIO_ADDR: `127.0.0.1:${port}`,
      CARTOBARRIO_BUILD_ID: buildId,
      CARTOBARRIO_DB: db,
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
  let admin = null;
  const server = {
    url,
    dir,
    /**
     * `fetch` of a path of this server as the admin (signed in on first use): the session
     * cookie, and on writes the anti-forgery token, as the app sends them.
     */
    async fetch(path, init = {}) {
      admin ??= await signIn(url, ADMIN.username, ADMIN.password);
      return fetchAs(url, admin, path, init);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!givenDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** `fetch` of a path of the server at `url` with a session from `signIn`. */
export function fetchAs(url, session, path, init = {}) {
  const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf, ...(init.headers ?? {}) };
  return fetch(`${url}${path}`, { ...init, headers });
}

/** Signs in over the API: the session cookie and the anti-forgery token. */
export async function signIn(url, username, password) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('cb_sesion='));
  const { csrf_token: csrf } = await res.json();
  return { cookie, csrf };
}

/**
 * A browser context signed in as `username` (the admin unless told): its cookie jar holds the
 * session, and the app reads who it is from the server as on any page load.
 */
export async function signedInContext(browser, server, options = {}, { username = ADMIN.username, password = ADMIN.password } = {}) {
  const context = await browser.newContext(options);
  const res = await context.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password } });
  if (res.status() !== 200) throw new Error(`sign-in as ${username}: ${res.status()}`);
  return context;
}

/** Makes an account as the admin; returns it. */
export async function createUser(server, { username, role, barrios = [], display_name = username, password = 'clave de prueba e2e' }) {
  const res = await server.fetch('/api/v1/admin/users', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, display_name, role, barrios, password }),
  });
  if (res.status !== 201) throw new Error(`creating ${username}: ${res.status} ${await res.text()}`);
  return res.json();
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
