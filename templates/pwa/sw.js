{% autoescape off %}// Riverwise's service worker: templates/pwa/sw.js, served at /sw.js by pwa.views.service_worker.
//
// What it keeps, in caches named with VERSION (a digest of the static files, so
// a deploy that changes one makes new caches and `activate` deletes the old):
// - the static files, cache-first (their names change when they do);
// - the offline page and the crisis page, fetched without cookies: nobody's data;
// - for the signed-in person only, the practices list and each practice's
//   on-this-device page, refreshed from their pages and deleted on sign-out.
// Every other page is fetched from the network and never kept: they hold a
// person's data and are sent no-store. With no connection a page falls back
// to its kept copy, or to the offline page.
"use strict";

importScripts({{ queue_script }});

const VERSION = "{{ version }}";
const STATIC_CACHE = "riverwise-static-" + VERSION;
const SHARED_CACHE = "riverwise-shared-" + VERSION;
const PERSON_CACHE = "riverwise-person-" + VERSION;
const STATIC_URLS = {{ static_urls }};
const SHARED_PAGES = {{ shared_pages }};
const OFFLINE_PAGE = {{ offline_page }};
const PRACTICES_PAGE = {{ practices_page }};
// Each practice's page, and the page that runs it with no connection.
const PRACTICE_PAGES = {{ practice_pages }};
const DEVICE_PAGES = Object.values(PRACTICE_PAGES);
const OWNER_KEY = "/__riverwise_owner__";
// The person's copies are fetched again when older than this.
const PERSON_PAGES_FRESH_FOR = 60 * 60 * 1000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    Promise.all([
      caches.open(STATIC_CACHE).then((cache) => cache.addAll(STATIC_URLS)),
      caches.open(SHARED_CACHE).then((cache) =>
        Promise.all(
          SHARED_PAGES.map((url) =>
            fetch(url, { credentials: "omit" }).then((response) => {
              if (!response.ok) throw new Error(url + " answered " + response.status);
              return cache.put(url, response);
            })
          )
        )
      ),
    ]).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  const current = [STATIC_CACHE, SHARED_CACHE, PERSON_CACHE];
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("riverwise-") && !current.includes(name))
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

// The person's pages ------------------------------------------------------------

async function keepPersonPages(owner) {
  const cache = await caches.open(PERSON_CACHE);
  const kept = await cache.match(OWNER_KEY);
  const about = kept ? await kept.json() : null;
  if (about && about.owner === owner && Date.now() - about.keptAt < PERSON_PAGES_FRESH_FOR) return;
  if (about && about.owner !== owner) await caches.delete(PERSON_CACHE);
  const fresh = await caches.open(PERSON_CACHE);
  await Promise.all(
    [PRACTICES_PAGE, ...DEVICE_PAGES].map(async (url) => {
      try {
        const response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
        // Signed out meanwhile (a redirect to log in): keep nothing.
        if (response.ok && response.type === "basic") await fresh.put(url, response);
      } catch (error) {
        // No connection: the copies kept before still serve.
      }
    })
  );
  await fresh.put(OWNER_KEY, new Response(JSON.stringify({ owner, keptAt: Date.now() })));
}

async function currentOwner() {
  const kept = await caches.match(OWNER_KEY, { cacheName: PERSON_CACHE });
  return kept ? (await kept.json()).owner : null;
}

async function forgetPerson() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith("riverwise-person-")).map((name) => caches.delete(name)));
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "signed-in" && message.owner) {
    event.waitUntil(keepPersonPages(message.owner));
  } else if (message.type === "signed-out") {
    event.waitUntil(forgetPerson());
  } else if (message.type === "send-kept") {
    event.waitUntil(sendKept());
  }
});

// Practice sessions kept on the device ----------------------------------------------

async function sendKept() {
  // Only the signed-in person's, with the token kept beside each.
  const owner = await currentOwner();
  if (owner) await self.RiverwiseOfflineQueue.sendAll(owner);
}

self.addEventListener("sync", (event) => {
  if (event.tag === self.RiverwiseOfflineQueue.SYNC_TAG) event.waitUntil(sendKept());
});

// Answering requests ----------------------------------------------------------------

async function fromCacheFirst(request) {
  const kept = await caches.match(request, { cacheName: STATIC_CACHE });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

function keptCopyFor(path) {
  if (path === PRACTICES_PAGE || DEVICE_PAGES.includes(path)) return [PERSON_CACHE, path];
  if (PRACTICE_PAGES[path]) return [PERSON_CACHE, PRACTICE_PAGES[path]];
  // Begin on a practice (the one-tap form or its page's form) with no connection.
  const begun = path.replace(/begin\/$/, "");
  if (PRACTICE_PAGES[begun]) return [PERSON_CACHE, PRACTICE_PAGES[begun]];
  if (SHARED_PAGES.includes(path)) return [SHARED_CACHE, path];
  return [SHARED_CACHE, OFFLINE_PAGE];
}

async function fromNetworkFirst(request, path) {
  try {
    return await fetch(request);
  } catch (error) {
    const [cacheName, url] = keptCopyFor(path);
    const kept = await caches.match(url, { cacheName });
    if (!kept) return caches.match(OFFLINE_PAGE, { cacheName: SHARED_CACHE });
    // A start form posted with no connection: go and practise on the device.
    if (request.method === "POST") return Response.redirect(url, 303);
    return kept;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET" && url.pathname.startsWith("{{ static_prefix }}")) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fromNetworkFirst(request, url.pathname));
  }
});
{% include "pwa/sw_push.js" %}{% endautoescape %}
