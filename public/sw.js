// The offline cache: after one visit the workbench works with the network off (workshops).
// Network first, so an online visit always gets the current build; the cache answers offline.
// Every response also gets the cross-origin-isolation headers, for static hosts that cannot set them.
const CACHE = 'threat-workbench-v1';

// Install caches the whole built site, listed at build time in precache.json.
self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const list = await fetch('./precache.json').then((r) => (r.ok ? r.json() : []));
      const cache = await caches.open(CACHE);
      await cache.addAll(list);
      // Drop what earlier builds cached (hashed file names change with every build).
      const keep = new Set(list.map((path) => new URL(path, self.location.href).href));
      for (const request of await cache.keys()) if (!keep.has(request.url)) await cache.delete(request);
      await self.skipWaiting();
    })(),
  );
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) await cache.put(request, response.clone());
        return isolated(response);
      } catch (err) {
        // ignoreVary: the precache stored responses fetched without the Origin header module scripts send.
        const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
        if (cached) return isolated(cached);
        throw err;
      }
    })(),
  );
});

function isolated(response) {
  if (response.type === 'opaque') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
