// Bump VERSION whenever a shell file changes: the new worker then installs a fresh cache and drops the old one.
const VERSION = 'v2';
const CACHE = `depoxy-app-${VERSION}`;
const SHELL = [
  '/index.html',
  '/styles.css',
  '/manifest.webmanifest',
  '/js/main.js',
  '/js/api.js',
  '/js/dom.js',
  '/js/pipelines.js',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('depoxy-app-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  // API answers are per user and change constantly: they never touch the cache, online or off. The API has its own
  // origin, so its calls pass by here untouched; /config.json (the API's address) is not in the shell, never cached.
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Every route of the app, /login-hash/<hash> included, is index.html.
    event.respondWith(fetch(request).catch(() => caches.match('/index.html')));
    return;
  }
  // Network first, revalidating past the browser's HTTP cache: the site sync gives these unhashed files a short
  // max-age, and an online user must never pair a fresh index.html with stale modules. The cache is the offline shell.
  event.respondWith(
    fetch(request, { cache: 'no-cache' })
      .then((response) => {
        if (response.ok && SHELL.includes(url.pathname)) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(() => caches.match(request).then((cached) => cached ?? Response.error())));
});
