// The on-this-device page: the whole practice runs here, check-ins included,
// with no request between steps, so it works with no connection. The guide
// itself (clock, bells, pacer, steps that move on) is practices-guide.js.
// The finished session is posted once; with no connection it is kept on the
// device (offline-queue.js) and sent later, by Background Sync where the
// browser has it, otherwise by the next page that loads (pwa.js).
(function () {
  "use strict";

  var page = document.querySelector("[data-device-practice]");
  if (!page) return;
  var queue = window.RiverwiseOfflineQueue;
  var stages = {};
  page.querySelectorAll("[data-device-stage]").forEach(function (stage) {
    stages[stage.dataset.deviceStage] = stage;
  });
  var steps = page.querySelectorAll("template[data-device-step]");
  var planned = parseFloat(page.dataset.planned) || null;
  var stepped = page.dataset.stepped === "1";
  // The meditation timer's modes, as the server's page has them: a start delay
  // that is not practice time, and a sit with no set end (up to `most` seconds).
  var delay = parseFloat(page.dataset.delay) || 0;
  var endless = page.dataset.endless === "1";
  var most = parseFloat(page.dataset.most) || null;
  // Made once per page: a second send of this session is recognised as the same one.
  var requestId = crypto.randomUUID();
  var session = { before_rating: "", before_emotion: "", after_rating: "" };
  var startedAt = null; // Date, when the guide began
  var guideBegan = 0; // performance.now() then: the practice clock
  var stepIndex = 0;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function show(name) {
    Object.keys(stages).forEach(function (key) {
      stages[key].hidden = key !== name;
    });
    var heading = stages[name].querySelector("[data-stage-heading]");
    if (heading) heading.focus();
  }

  function elapsed() {
    var seconds = Math.max(0, (performance.now() - guideBegan) / 1000 - delay);
    var limit = planned || most;
    return limit ? Math.min(seconds, limit) : seconds;
  }

  // Practice time in words, as the site's `duration` filter writes it.
  function duration(seconds) {
    seconds = Math.round(seconds);
    function plural(n, word) {
      return n + " " + word + (n === 1 ? "" : "s");
    }
    if (seconds < 60) return plural(seconds, "second");
    var minutes = Math.floor(seconds / 60 + 0.5);
    var hours = Math.floor(minutes / 60);
    minutes = minutes % 60;
    var parts = hours ? [plural(hours, "hour")] : [];
    if (minutes) parts.push(plural(minutes, "minute"));
    return parts.join(" ");
  }

  function showStep(index) {
    stepIndex = index;
    var guide = steps[index].content.firstElementChild.cloneNode(true);
    guide.dataset.elapsed = elapsed().toFixed(2);
    // The delay is the first step's quiet start; the guide counts it down itself.
    guide.dataset.settling = index === 0 ? String(delay) : "0";
    stages.guide.replaceChildren(guide);
    show("guide");
    window.practiceGuides.start(guide);
  }

  function begin() {
    startedAt = new Date();
    guideBegan = performance.now();
    showStep(0);
  }

  function finish(reachedTheEnd) {
    session.seconds_practised = String(Math.round(elapsed()));
    session.reached_the_end = reachedTheEnd ? "1" : "";
    session.ended_at = new Date().toISOString();
    stages.guide.replaceChildren(); // stops the guide's clock
    var heading = stages.after.querySelector("[data-device-after-heading]");
    if (endless) {
      // No end to reach: say how long the sit was, as the server's page does.
      heading.textContent = "You practised for " + duration(elapsed());
    } else {
      var completed = stepped ? reachedTheEnd : planned && elapsed() + 1 >= planned;
      heading.textContent = completed ? heading.dataset.completed : heading.dataset.stopped;
    }
    show("after");
  }

  stages.guide.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-next")) {
      showStep(stepIndex + 1);
    } else if (button.hasAttribute("data-finish")) {
      finish(stepIndex === steps.length - 1);
    }
  });

  function answered(event, field) {
    var button = event.submitter;
    if (button && button.name === "rating") session[field] = button.value;
    return !(button && button.name === "skip");
  }

  page.querySelector('[data-device-form="before"]').addEventListener("submit", function (event) {
    event.preventDefault();
    if (answered(event, "before_rating")) {
      session.before_emotion = event.target.elements.before_emotion.value.trim();
    } else {
      session.before_rating = "";
    }
    begin();
  });

  page.querySelector('[data-device-form="after"]').addEventListener("submit", function (event) {
    event.preventDefault();
    if (!answered(event, "after_rating")) session.after_rating = "";
    event.target.querySelectorAll("button").forEach(function (button) {
      button.disabled = true;
    });
    save();
  });

  // Sending ---------------------------------------------------------------------

  function formBody() {
    var fields = {
      request_id: requestId,
      parameters: page.dataset.parameters,
      started_at: startedAt.toISOString(),
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
    Object.keys(session).forEach(function (name) {
      fields[name] = session[name];
    });
    return new URLSearchParams(fields).toString();
  }

  function say(words, link) {
    var status = stages.done.querySelector("[data-device-status]");
    status.textContent = words;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = "See this session";
      status.append(" ", anchor);
    }
    show("done");
  }

  function keepOnDevice(body) {
    var kept = {
      requestId: requestId,
      url: page.dataset.recordUrl,
      body: body,
      csrfToken: csrfToken(),
      owner: document.body.dataset.pwaOwner,
      keptAt: new Date().toISOString(),
    };
    return queue.keep(kept).then(
      function () {
        say("Saved on this device; it will be sent when you're online.");
        if (navigator.serviceWorker) {
          navigator.serviceWorker.ready
            .then(function (registration) {
              if (registration.sync) return registration.sync.register(queue.SYNC_TAG);
            })
            .catch(function () {}); // no Background Sync: the next page load sends it
        }
      },
      function () {
        say("We couldn't keep this session on the device, and there is no connection to send it.");
      }
    );
  }

  function save() {
    var body = formBody();
    if (!navigator.onLine) return keepOnDevice(body);
    fetch(page.dataset.recordUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrfToken() },
      body: body,
    })
      .then(function (response) {
        if (response.ok) {
          return response.json().then(function (saved) {
            say("Saved.", saved.url);
          });
        }
        if (response.status === 400) {
          return response.json().then(function (refused) {
            var problems = Object.values(refused.errors || {}).flat();
            say("We couldn't save this session: " + problems.join(" "));
          });
        }
        return keepOnDevice(body);
      })
      .catch(function () {
        return keepOnDevice(body);
      });
  }
})();
