// Finished practice sessions kept on this device until they can be sent.
// Shared by the pages and the service worker (importScripts): plain script,
// one global, IndexedDB underneath. Each kept session is the form the page
// would have posted, its request id (the server keeps one session per id, so
// sending twice is harmless), the address to post to, and whose it is.
(function (scope) {
  "use strict";

  var DATABASE = "riverwise-offline";
  var SESSIONS = "practice-sessions";
  var SYNC_TAG = "riverwise-send-practice";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(SESSIONS, { keyPath: "requestId" });
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  function withStore(mode, work) {
    return open().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction(SESSIONS, mode);
        var result = work(transaction.objectStore(SESSIONS));
        transaction.oncomplete = function () {
          database.close();
          resolve(result && "result" in result ? result.result : undefined);
        };
        transaction.onerror = transaction.onabort = function () {
          database.close();
          reject(transaction.error);
        };
      });
    });
  }

  function keep(session) {
    return withStore("readwrite", function (store) {
      store.put(session);
    });
  }

  function all() {
    return withStore("readonly", function (store) {
      return store.getAll();
    });
  }

  function remove(requestId) {
    return withStore("readwrite", function (store) {
      store.delete(requestId);
    });
  }

  function clear() {
    return withStore("readwrite", function (store) {
      store.clear();
    });
  }

  // Send one kept session. Kept when there is no answer, the server failed, or
  // the person is signed out or the token is stale (a later page sends it with
  // a fresh one); dropped once the server has it, or refuses it for good (400).
  function send(session, csrfToken) {
    return scope
      .fetch(session.url, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRFToken": csrfToken || session.csrfToken,
        },
        body: session.body,
      })
      .then(function (response) {
        if (response.ok || response.status === 400) return remove(session.requestId).then(function () {
          return response.ok;
        });
        return false;
      })
      .catch(function () {
        return false;
      });
  }

  // Send every kept session of `owner`; resolves to how many the server now has.
  function sendAll(owner, csrfToken) {
    return all()
      .then(function (sessions) {
        var mine = sessions.filter(function (session) {
          return owner && session.owner === owner;
        });
        return Promise.all(
          mine.map(function (session) {
            return send(session, csrfToken);
          })
        );
      })
      .then(function (results) {
        return results.filter(Boolean).length;
      });
  }

  scope.RiverwiseOfflineQueue = {
    SYNC_TAG: SYNC_TAG,
    keep: keep,
    all: all,
    remove: remove,
    clear: clear,
    sendAll: sendAll,
  };
})(self);
