// "Turn on notifications on this device": asks the browser for a push
// subscription with the site's VAPID public key and posts it (JSON, with the
// CSRF token) to the server, which checks it and keeps it for reminders.
// The button stays hidden where the browser can't do push, or before the
// service worker (/sw.js) is installed.
(function () {
  "use strict";

  var box = document.getElementById("push-subscribe");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  var button = document.getElementById("push-subscribe-button");
  var status = document.getElementById("push-subscribe-status");

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "===".slice((base64.length + 3) % 4);
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(text) {
    status.textContent = text;
  }

  function subscribe() {
    button.disabled = true;
    say("Asking your browser…");
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") {
          throw new Error("Notifications are blocked for this site; your browser's site settings can allow them.");
        }
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(box.dataset.vapidKey),
        });
      })
      .then(function (subscription) {
        return fetch(box.dataset.url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify(subscription.toJSON()),
        });
      })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || "That didn't work. Please try again.");
          say("Done: this device (" + data.device + ") will get your push reminders.");
          // Show the device in the list, and the push choice on each reminder.
          window.setTimeout(function () { window.location.reload(); }, 1500);
        });
      })
      .catch(function (error) {
        say(error.message || "That didn't work. Please try again.");
      })
      .finally(function () {
        button.disabled = false;
      });
  }

  navigator.serviceWorker.getRegistration().then(function (registration) {
    if (!registration) return; // no service worker yet: push can't arrive
    box.hidden = false;
    button.addEventListener("click", subscribe);
  });
})();
