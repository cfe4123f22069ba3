// On every page: register the service worker, keep the signed-in person's
// offline copies fresh, send practice sessions kept on this device, and
// forget the person's copies and kept sessions when they sign out.
(function () {
  "use strict";

  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript;
  var worker = script.dataset.worker;
  var signOutAddress = script.dataset.signOut;
  var queue = window.RiverwiseOfflineQueue;

  function ready() {
    // Absent on the offline page, which is the same for everyone: it changes nothing.
    var owner = document.body.dataset.pwaOwner;
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {});
    if (owner === undefined) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (!registration.active) return;
      if (owner) {
        registration.active.postMessage({ type: "signed-in", owner: owner });
      } else {
        // Signed out (or the session ended): nobody's pages stay on the device.
        registration.active.postMessage({ type: "signed-out" });
      }
    });
    if (owner) {
      sendKept(owner);
      window.addEventListener("online", function () {
        sendKept(owner);
      });
    }
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  // With this page's own token: one kept with the session may be older.
  function sendKept(owner) {
    if (!queue || !navigator.onLine) return;
    queue.sendAll(owner, csrfToken()).catch(function () {});
  }

  // Signing out clears the copies and the kept sessions first, then signs out.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!signOutAddress || form.dataset.clearedForSignOut) return;
    if (new URL(form.action, location.href).pathname !== signOutAddress) return;
    event.preventDefault();
    form.dataset.clearedForSignOut = "1";
    var clearing = [queue ? queue.clear() : null];
    if (window.caches) {
      clearing.push(
        caches.keys().then(function (names) {
          return Promise.all(
            names
              .filter(function (name) {
                return name.indexOf("riverwise-person-") === 0;
              })
              .map(function (name) {
                return caches.delete(name);
              })
          );
        })
      );
    }
    // Sign out even if clearing stalls: a second or two at most.
    var timeout = new Promise(function (resolve) {
      window.setTimeout(resolve, 2000);
    });
    Promise.race([Promise.all(clearing), timeout]).then(
      function () {
        form.submit();
      },
      function () {
        form.submit();
      }
    );
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
