// Guided practices: the practice clock, steps that move on by themselves, soft
// sounds made with the Web Audio API, the breathing pacer, and calm
// announcements for screen readers. The server keeps the real state: every
// move (next step, pause, finish) is an ordinary form button this script
// clicks, so a reload or a page without this script still works.
(function () {
  "use strict";

  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var audio = null;
  var soundChoice = null; // the person's toggle on this page; null follows the session's setting
  var running = null; // the guide on screen now
  var pageReady = false;

  // Announcements -------------------------------------------------------------

  function announce(text) {
    var region = document.getElementById("practice-announcer");
    if (!region || !text) return;
    // Clear first so that the same words twice in a row are read twice.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 60);
  }

  // Sound ------------------------------------------------------------------------

  function audioContext() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    if (!audio) audio = new Context();
    if (audio.state === "suspended") audio.resume();
    return audio;
  }

  // Browsers only let a page make sound after the person has touched it.
  ["pointerdown", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () {
      if (audio && audio.state === "suspended") audio.resume();
    });
  });

  function tone(frequency, seconds, volume) {
    var context = audioContext();
    if (!context) return;
    var start = context.currentTime + 0.02;
    var oscillator = context.createOscillator();
    var gain = context.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(volume, start + 0.04);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + seconds);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + seconds + 0.05);
  }

  function bell() {
    tone(528, 3, 0.18);
    tone(1056, 2, 0.05);
  }

  // The practice clock ----------------------------------------------------------

  function number(value) {
    var parsed = parseFloat(value);
    return isNaN(parsed) ? null : parsed;
  }

  function clockText(seconds) {
    var whole = Math.max(0, Math.ceil(seconds));
    var rest = whole % 60;
    return Math.floor(whole / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function Guide(root) {
    var data = root.dataset;
    this.root = root;
    this.kind = data.practiceGuide;
    this.planned = number(data.planned);
    this.elapsedAtLoad = number(data.elapsed) || 0;
    this.stepSeconds = number(data.stepSeconds);
    this.stepElapsedAtLoad = number(data.stepElapsed) || 0;
    this.interval = number(data.interval);
    this.running = data.running === "1";
    this.soundSetting = data.sound === "1";
    this.loadedAt = performance.now();
    this.moving = false;
    this.bellsRung = this.interval ? Math.floor(this.elapsedAtLoad / this.interval) : 0;
    this.clockLeft = root.querySelector("[data-clock-left]");
    this.progress = root.querySelector("[data-clock-progress]");
    this.nextButton = root.querySelector("[data-next]");
    this.finishButton = root.querySelector("[data-finish]");
    var pacer = root.querySelector("[data-pacer]");
    this.pacer = pacer ? new Pacer(pacer, this) : null;
    this.setUpSoundToggle();
    var self = this;
    this.timer = window.setInterval(function () {
      self.tick();
    }, 100);
    this.tick();
  }

  Guide.prototype.soundOn = function () {
    return soundChoice === null ? this.soundSetting : soundChoice;
  };

  Guide.prototype.setUpSoundToggle = function () {
    var label = this.root.querySelector("[data-sound-toggle]");
    if (!label) return;
    var box = label.querySelector("input");
    box.checked = this.soundOn();
    box.addEventListener("change", function () {
      soundChoice = box.checked;
      if (box.checked) tone(440, 0.6, 0.08);
    });
  };

  Guide.prototype.elapsed = function (now) {
    var since = this.running ? (now - this.loadedAt) / 1000 : 0;
    return this.elapsedAtLoad + since;
  };

  Guide.prototype.stop = function () {
    window.clearInterval(this.timer);
    if (this.pacer) this.pacer.stop();
  };

  Guide.prototype.press = function (button) {
    // One press per guide: the server answers with the next stage, which starts afresh.
    if (!button || this.moving) return;
    this.moving = true;
    button.click();
  };

  Guide.prototype.tick = function () {
    if (!document.body.contains(this.root)) {
      this.stop();
      return;
    }
    var now = performance.now();
    var elapsed = this.elapsed(now);
    if (this.planned) {
      var shown = Math.min(elapsed, this.planned);
      if (this.clockLeft) this.clockLeft.textContent = clockText(this.planned - shown);
      if (this.progress) this.progress.value = Math.round(shown);
      if (this.interval && this.running && elapsed < this.planned) {
        var bells = Math.floor(elapsed / this.interval);
        if (bells > this.bellsRung) {
          this.bellsRung = bells;
          if (this.soundOn()) bell();
          announce("Interval bell");
          this.showBell();
        }
      }
    }
    if (this.pacer) this.pacer.update(now, this.running && !this.moving);
    if (!this.running || this.moving) return;

    if (this.stepSeconds) {
      var stepElapsed = this.stepElapsedAtLoad + (now - this.loadedAt) / 1000;
      if (stepElapsed >= this.stepSeconds) {
        if (this.nextButton) {
          if (this.soundOn()) tone(396, 1.2, 0.12);
          this.press(this.nextButton);
        } else {
          this.end();
        }
      }
    } else if (this.planned && elapsed >= this.planned) {
      this.end();
    }
  };

  Guide.prototype.showBell = function () {
    var note = this.root.querySelector("[data-bell-note]");
    if (!note) return;
    note.textContent = "Bell";
    window.setTimeout(function () {
      note.textContent = "";
    }, 4000);
  };

  Guide.prototype.end = function () {
    if (this.soundOn()) bell();
    announce("Time is up");
    this.press(this.finishButton);
  };

  Guide.prototype.start = function () {
    var fresh = this.running && this.elapsedAtLoad < 1;
    if (fresh && this.kind === "timer" && this.soundOn()) bell();
    // Swapped in by a move, not a page load: say where we are now.
    if (pageReady && this.root.dataset.announce) announce(this.root.dataset.announce);
  };

  // The breathing pacer --------------------------------------------------------------

  function Pacer(root, guide) {
    this.root = root;
    this.guide = guide;
    this.phases = JSON.parse(root.dataset.phases || "[]");
    this.shape = root.querySelector("[data-pacer-shape]");
    this.label = root.querySelector("[data-pacer-label]");
    this.count = root.querySelector("[data-pacer-count]");
    this.progress = root.querySelector("[data-pacer-progress]");
    this.index = 0;
    this.phaseStart = 0;
    this.state = "new";
    // The shape starts small (the stylesheet's size). Reading its style now
    // makes that the starting point, so the first breath in grows it smoothly
    // instead of jumping to full size at once.
    window.getComputedStyle(this.shape).transform;
    this.onMotionChange = this.applyMotionPreference.bind(this);
    reducedMotion.addEventListener("change", this.onMotionChange);
    this.applyMotionPreference();
  }

  Pacer.prototype.applyMotionPreference = function () {
    // With reduced motion the shape stays still: words and a progress bar lead
    // instead (the stylesheet swaps them, so the layout is right from the start).
    var still = reducedMotion.matches;
    this.root.classList.toggle("is-still", still);
    if (still) {
      this.shape.style.transitionDuration = "0s";
      this.shape.style.transform = "";
    }
  };

  Pacer.prototype.stop = function () {
    reducedMotion.removeEventListener("change", this.onMotionChange);
  };

  var TONES = { in: 392, hold: 349, out: 294 };

  Pacer.prototype.enter = function (index, now) {
    var phase = this.phases[index];
    this.index = index;
    this.phaseStart = now;
    this.label.textContent = phase.label;
    announce(phase.label);
    if (!reducedMotion.matches) {
      this.shape.style.transitionDuration = phase.seconds + "s";
      this.shape.style.transform = "scale(" + phase.size + ")";
    }
    if (this.guide.soundOn()) tone(TONES[phase.kind] || 349, 0.5, phase.kind === "hold" ? 0.03 : 0.06);
  };

  Pacer.prototype.rest = function (words) {
    this.state = "resting";
    this.label.textContent = words;
    this.count.textContent = "";
    this.progress.value = 0;
    if (!reducedMotion.matches) {
      this.shape.style.transitionDuration = "1s";
      this.shape.style.transform = "scale(0.4)";
    }
  };

  Pacer.prototype.update = function (now, isRunning) {
    if (!this.phases.length) return;
    if (!isRunning) {
      if (this.state !== "resting") this.rest(this.guide.moving ? "Finishing" : "Paused");
      return;
    }
    if (this.state !== "breathing") {
      this.state = "breathing";
      this.enter(0, now);
    }
    var phase = this.phases[this.index];
    var phaseElapsed = (now - this.phaseStart) / 1000;
    if (phaseElapsed >= phase.seconds) {
      // Keep to the pattern's rhythm when a tick comes a little late; after a
      // long gap (a hidden tab) simply carry on from now.
      var start = this.phaseStart + phase.seconds * 1000;
      this.enter((this.index + 1) % this.phases.length, now);
      if (now - start < 500) this.phaseStart = start;
      phase = this.phases[this.index];
      phaseElapsed = (now - this.phaseStart) / 1000;
    }
    var count = Math.min(Math.floor(phaseElapsed) + 1, Math.ceil(phase.seconds));
    this.count.textContent = String(count);
    this.progress.value = Math.min(100, Math.round((phaseElapsed / phase.seconds) * 100));
  };

  // Wiring ---------------------------------------------------------------------

  function startGuides(container) {
    var root = container.matches && container.matches("[data-practice-guide]")
      ? container
      : container.querySelector && container.querySelector("[data-practice-guide]");
    if (!root || root.dataset.started) return;
    root.dataset.started = "1";
    if (running) running.stop();
    running = new Guide(root);
    running.start();
  }

  // Focus after a stage swaps in is kept by swap-focus.js, for every page.

  if (window.htmx) {
    window.htmx.onLoad(startGuides);
  }
  // The on-this-device page (practices-on-this-device.js) puts each step in
  // itself, with no server between steps, and starts it here.
  window.practiceGuides = { start: startGuides };
  function ready() {
    startGuides(document.body);
    pageReady = true;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
