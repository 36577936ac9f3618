// Cartobarrio's service worker: the app starts and works with no network after one visit.
// Generated per deployment by the server (src/assets.rs fills in VERSION and PRECACHE), so a new
// build changes these bytes and the browser installs the new worker, which then *waits*: it takes
// over only when the person presses "Actualizar", never in the middle of a workshop.
'use strict';

const VERSION = "__VERSION__";
const PRECACHE = [/* __PRECACHE__ */];
const SHELL_CACHE = `cartobarrio-shell-${VERSION}`;
// Pages reference this version's hashed assets, so they live and die with the version.
const PAGES_CACHE = `cartobarrio-pages-${VERSION}`;
// Barrio data does not depend on the app version and survives updates.
const DATA_CACHE = 'cartobarrio-data-v1';
// On a weak link, wait this long for the network before answering from the cache.
const NETWORK_WAIT_MS = 3500;
// Pages the app may ask the worker to keep (KEEP_PAGE): a barrio's map, a workshop's page, a
// barrio's route, its new acta and ficha forms and its miniauditoría session (written on a
// tablet with no signal; the session in the query, which the kept copy ignores).
const KEEPABLE = /^\/(barrio\/\d+|talleres\/[0-9a-f-]{36}(\/proyectar)?|ruta\/\d+(\/acta|\/intervencion|\/miniauditoria)?)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SHELL_CACHE, PAGES_CACHE, DATA_CACHE]);
    // Every page the previous version kept (barrios opened or saved for offline use) is
    // fetched again for this version, so an update does not take them off the device.
    const pages = new Set();
    for (const name of await caches.keys()) {
      if (name.startsWith('cartobarrio-pages-') && name !== PAGES_CACHE) {
        for (const request of await (await caches.open(name)).keys()) pages.add(request.url);
      }
    }
    await Promise.all([...pages].map((url) => warmPage(new URL(url))));
    for (const name of await caches.keys()) {
      if (name.startsWith('cartobarrio-') && !keep.has(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
  // A page the app shows after in-app navigation (a workshop just prepared, with its code
  // and QR), or one loaded before this worker existed (a participant's first visit, from the
  // workshop's QR), was never kept: keep it, so it opens offline.
  if (event.data && event.data.type === 'KEEP_PAGE' && KEEPABLE.test(event.data.path)) {
    event.waitUntil(warmPage(new URL(event.data.path, self.location.origin)));
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Marks are POSTed: those always go to the network; the device's outbox retries them.
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/sw.js' || url.pathname === '/healthz') return;
  if (request.mode === 'navigate') {
    event.respondWith(page(event, url));
  } else if (url.pathname.startsWith('/pkg/') || PRECACHE.includes(url.pathname)) {
    event.respondWith(cacheFirst(event, request));
  } else if (url.pathname === '/api/v1/barrios' || /^\/api\/v1\/barrios\/\d+$/.test(url.pathname)) {
    // Only the public list and boundaries are kept here. Marks, trees and diagnósticos are
    // for signed-in accounts and never go into a cache a shared tablet keeps after signing
    // out; packs are kept by the app in IndexedDB, where the person sees and removes them.
    event.respondWith(networkFirst(event, request, DATA_CACHE, (res) => res.ok));
    // A barrio opened by in-app navigation never had its page requested: fetch it now, so
    // reloading or reopening that barrio offline works too.
    const barrio = url.pathname.match(/^\/api\/v1\/barrios\/(\d+)$/);
    if (barrio) event.waitUntil(warmPage(new URL(`/barrio/${barrio[1]}`, url.origin)));
  } else {
    // A pack being saved for offline use: keep its page too, so the barrio also opens from a
    // bookmark or a reload with no network.
    const pack = url.pathname.match(/^\/api\/v1\/barrios\/(\d+)\/pack$/);
    if (pack) event.waitUntil(warmPage(new URL(`/barrio/${pack[1]}`, url.origin)));
  }
});

async function warmPage(url) {
  const cache = await caches.open(PAGES_CACHE);
  if (await cache.match(pageKey(url))) return;
  try {
    const res = await fetch(url, { credentials: 'same-origin' });
    if (res.ok && res.headers.get('x-cartobarrio-version') === VERSION) {
      await cache.put(pageKey(url), res.clone());
      await keepChunksOf(res);
    }
  } catch {
    // Offline: nothing to warm.
  }
}

// The pages only staff use are loaded on demand, in wasm chunks of their own and a stylesheet
// of their own that the precache leaves out (a participant never needs them). A page rendered
// by the server names its chunks (`<link rel="preload" href="/pkg/...">`) and that stylesheet:
// a page kept without being shown (kept for
// offline use, or fetched again for a new version on "Actualizar") gets them too, so it opens
// offline as it did before.
async function keepChunksOf(res) {
  const html = await res.text();
  const paths = new Set([...html.matchAll(/\/pkg\/[\w.-]+\.(?:wasm|js|css)/g)].map((m) => m[0]));
  const cache = await caches.open(SHELL_CACHE);
  await Promise.all([...paths].map(async (path) => {
    if (await cache.match(path)) return;
    const chunk = await fetch(path);
    if (chunk.ok) await cache.put(path, chunk);
  }));
}

// One copy per path, whatever the query: `/barrio/7?etapa=arbol` is answered offline with the
// copy last rendered for `/barrio/7`, perhaps for another stage. The page hydrates the stage its
// markup was rendered for and only then turns to the one in the address
// (app/src/components/hydration.rs), so any copy of a barrio serves all of its stages.
function pageKey(url) {
  return new Request(url.origin + url.pathname);
}

async function page(event, url) {
  // Cache only pages rendered by this very version: they name the assets this worker holds.
  const cacheable = (res) => res.ok && res.headers.get('x-cartobarrio-version') === VERSION;
  const response = await networkFirst(event, pageKey(url), PAGES_CACHE, cacheable, event.request);
  if (response) return response;
  const shell = await caches.match(pageKey(url), { cacheName: SHELL_CACHE });
  return shell || offlinePage();
}

async function cacheFirst(event, request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const res = await fetch(request);
  // A chunk of a page loaded on demand, used for the first time: kept with this version's
  // files (its name carries its hash, so it never goes stale), so the page opens offline next.
  if (res.ok && new URL(request.url).pathname.startsWith('/pkg/')) {
    const copy = res.clone();
    event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy)));
  }
  return res;
}

/** The network's answer if it comes in time, else the cached copy; `null` if neither. */
async function networkFirst(event, key, cacheName, cacheable, request = key) {
  const cache = await caches.open(cacheName);
  const network = fetch(request).then(async (res) => {
    if (cacheable(res)) await cache.put(key, res.clone());
    return res;
  });
  // Keep the worker alive until the copy is stored, even when the cache answered first.
  event.waitUntil(network.catch(() => undefined));
  const cached = await cache.match(key);
  if (!cached) {
    try {
      return await network;
    } catch {
      return request.mode === 'navigate' ? null : Response.error();
    }
  }
  const late = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_WAIT_MS));
  try {
    return await Promise.race([network, late]);
  } catch {
    return cached;
  }
}

function offlinePage() {
  const html = `<!DOCTYPE html><html lang="es-CO"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sin conexión · Cartobarrio</title>
<style>body{font:17px/1.45 system-ui,sans-serif;margin:0;color:#14201c}header{background:#0b5d4b;color:#fff;padding:14px 16px;font-weight:800}
main{padding:24px 16px;max-width:520px}a{display:inline-flex;align-items:center;min-height:48px;padding:0 20px;border-radius:8px;background:#0b5d4b;color:#fff;font-weight:700;text-decoration:none}</style>
</head><body><header>Cartobarrio</header><main><h1>Sin conexión</h1>
<p>Esta página no se abrió antes en este dispositivo, así que no está guardada. Las marcas que ya hizo siguen guardadas aquí.</p>
<p><a href="/">Ver los barrios</a></p></main></body></html>`;
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
