// Journal pages: a safety net for unsaved words, the feelings word filter,
// and the live river picture on the check-in form.
//
// Unsaved words are kept in sessionStorage only (this tab, gone when the tab
// closes), never in localStorage, and only until the server confirms a save.
(function () {
  "use strict";

  var PREFIX = "journal-unsent:";

  function store() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null;
    }
  }

  function readUnsent(key) {
    var s = store();
    if (!s) return null;
    try {
      return JSON.parse(s.getItem(PREFIX + key));
    } catch (error) {
      return null;
    }
  }

  function keepUnsent(key, value) {
    var s = store();
    if (!s) return;
    try {
      s.setItem(PREFIX + key, JSON.stringify(value));
    } catch (error) {
      // Storage full or blocked: autosave still works, only the extra copy is lost.
    }
  }

  function forget(key) {
    var s = store();
    if (s) s.removeItem(PREFIX + key);
  }

  // --- After an entry is saved, its unsent copy is no longer needed. -------
  var saved = document.querySelector("[data-journal-saved]");
  if (saved) {
    var savedId = saved.getAttribute("data-journal-saved");
    forget(savedId);
    var pending = readUnsent("new");
    if (pending && pending.draftKey && pending.draftKey.indexOf(savedId) === 0) forget("new");
  }

  // --- "Where in your body" stays open while the feelings are redrawn. -----
  // Any change in the picker redraws the rows below it, and the server cannot
  // know that the person opened the places without choosing one yet.
  var placesWereOpen = false;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target.id !== "feeling-rows") return;
    var places = event.detail.target.querySelector("details.body-places");
    placesWereOpen = Boolean(places && places.open);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "feeling-rows" || !placesWereOpen) return;
    var places = event.detail.target.querySelector("details.body-places");
    if (places) places.open = true;
  });

  // --- Autosave safety net on the entry form. ------------------------------
  var form = document.querySelector("form[data-autosave]");
  if (form) watchEntryForm(form);

  function watchEntryForm(form) {
    var key = form.getAttribute("data-unsent-key");
    var writer = form.getAttribute("data-writer");
    var body = form.querySelector("textarea[name=body]");
    var draftKey = form.querySelector("[data-draft-key]");
    var zone = form.querySelector("[data-autosave-url]");
    var notice = form.querySelector("[data-restore-notice]");
    var serverBody = body.value;
    var dirty = false;
    var sentBody = null;

    function remember() {
      dirty = true;
      keepUnsent(key, {
        writer: writer,
        draftKey: draftKey ? draftKey.value : "",
        body: body.value,
      });
    }

    var unsent = readUnsent(key);
    if (unsent && unsent.writer !== writer) {
      // Someone else signed in on this tab: their words are not ours to show.
      forget(key);
      unsent = null;
    }
    var canRestore = key !== "new" || body.value === "";
    if (unsent && unsent.body && unsent.body !== body.value && canRestore) {
      body.value = unsent.body;
      if (draftKey && unsent.draftKey) draftKey.value = unsent.draftKey;
      notice.hidden = false;
      dirty = true;
    } else if (unsent) {
      forget(key);
    }

    notice.querySelector("[data-start-fresh]").addEventListener("click", function () {
      body.value = serverBody;
      if (draftKey) draftKey.value = draftKey.getAttribute("data-original");
      forget(key);
      dirty = false;
      notice.hidden = true;
      body.focus();
    });

    body.addEventListener("input", remember);

    document.body.addEventListener("htmx:configRequest", function (event) {
      if (event.detail.elt === zone) sentBody = body.value;
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt !== zone || !event.detail.successful) return;
      // A session that ended answers with a redirect to log in: keep the copy.
      if (event.detail.xhr && event.detail.xhr.getResponseHeader("HX-Redirect")) return;
      if (body.value === sentBody) {
        dirty = false;
        forget(key);
      }
    });

    form.addEventListener("submit", function () {
      dirty = false;
    });

    // Closing or leaving the tab: send what is not saved yet, one last time.
    function sendNow() {
      if (!dirty || !navigator.sendBeacon) return;
      if (navigator.sendBeacon(zone.getAttribute("data-autosave-url"), new FormData(form))) {
        dirty = false;
      }
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") sendNow();
    });
    window.addEventListener("pagehide", sendNow);
  }

  // --- Find a word among the feelings. --------------------------------------
  document.querySelectorAll("[data-word-filter]").forEach(function (box) {
    var input = box.querySelector("input");
    var count = box.querySelector("[aria-live]");
    var picker = box.parentElement;
    box.hidden = false;
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // filtering must not submit the form
    });
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase();
      var shown = 0;
      // Searching looks through every quadrant, whichever is open.
      picker.classList.toggle("is-searching", text !== "");
      picker.querySelectorAll("li[data-word]").forEach(function (item) {
        var match = !text || item.getAttribute("data-word").indexOf(text) !== -1;
        item.hidden = !match;
        if (match) shown += 1;
      });
      picker.querySelectorAll(".word-group").forEach(function (group) {
        group.hidden = !group.querySelector("li[data-word]:not([hidden])");
      });
      count.textContent = text ? shown + (shown === 1 ? " word shown" : " words shown") : "";
    });
  });

  // --- The river picture follows the sliders. --------------------------------
  // Same rule as IntegrationCheckIn.zone_for in journal/models.py.
  function zoneFor(chaos, rigidity) {
    if (chaos >= 6 && rigidity >= 6) return "both";
    if (Math.abs(rigidity - chaos) <= 2 && Math.max(chaos, rigidity) < 6) return "flow";
    return chaos > rigidity ? "chaos" : "rigidity";
  }

  document.addEventListener("input", function (event) {
    var slider = event.target;
    if (!slider.matches || !slider.matches("[data-river-form] input[type=range]")) return;
    var riverForm = slider.closest("[data-river-form]");
    var chaos = Number(riverForm.querySelector("input[name=chaos]").value);
    var rigidity = Number(riverForm.querySelector("input[name=rigidity]").value);
    riverForm.querySelectorAll("[data-slider-output]").forEach(function (output) {
      output.textContent = document.getElementById(output.getAttribute("data-slider-output")).value;
    });
    var marker = riverForm.querySelector("[data-river-marker]");
    var reading = riverForm.querySelector("[data-river-reading]");
    marker.setAttribute("cx", String(160 + 13 * (rigidity - chaos)));
    reading.textContent =
      riverForm.getAttribute("data-zone-" + zoneFor(chaos, rigidity)) +
      " (chaos " + chaos + ", rigidity " + rigidity + ")";
  });
})();
