// Reading the guidance aloud with the browser's own speech (speechSynthesis):
// each step's cue when the step begins, and the breathwork phases. Off until
// the person turns it on; the choice, voice, speed and volume are kept in
// localStorage on this device (a preference, nothing private). Where the
// browser cannot speak, the control stays hidden and nothing changes.
//
// Screen readers keep the page's own announcements (practices-guide.js):
// a page cannot know a screen reader is running, and speech can fail quietly
// (no voices, a browser that blocks it), so taking the announcements away
// could leave someone with nothing. They are short (a step's name); the speech
// reads the cue itself.
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  if (!synth || !window.SpeechSynthesisUtterance) return;

  var STORAGE_KEY = "riverwise.readAloud";
  var DEFAULTS = { on: false, voice: "", rate: 0.9, volume: 1 };
  var settingsOpen = false; // the disclosure stays open from one step to the next
  var lastSpoken = null; // the step whose cue was read, on this page
  var wasPaused = false;

  function load() {
    var saved = {};
    try {
      saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "{}") || {};
    } catch (error) {
      saved = {};
    }
    return {
      on: saved.on === true,
      voice: typeof saved.voice === "string" ? saved.voice : DEFAULTS.voice,
      rate: within(saved.rate, 0.5, 1.5, DEFAULTS.rate),
      volume: within(saved.volume, 0, 1, DEFAULTS.volume),
    };
  }

  function within(value, low, high, fallback) {
    var number = parseFloat(value);
    return isNaN(number) ? fallback : Math.min(high, Math.max(low, number));
  }

  function save(settings) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
    } catch (error) {
      // Storage full or refused: the choice lasts for this page only.
    }
  }

  // Voices kept on the device first: they work without a connection.
  function voicesInOrder() {
    var language = (document.documentElement.lang || "en").slice(0, 2).toLowerCase();
    var voices = synth.getVoices().filter(function (voice) {
      return voice.lang.slice(0, 2).toLowerCase() === language;
    });
    return voices.sort(function (a, b) {
      return (b.localService ? 1 : 0) - (a.localService ? 1 : 0);
    });
  }

  function chosenVoice(settings) {
    var voices = voicesInOrder();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].voiceURI === settings.voice) return voices[i];
    }
    for (var j = 0; j < voices.length; j++) {
      if (voices[j].localService) return voices[j];
    }
    return null; // the browser's own default
  }

  function speak(text) {
    var settings = load();
    if (!settings.on || !text) return;
    synth.cancel(); // the newest cue replaces one still being read
    var utterance = new window.SpeechSynthesisUtterance(text);
    var voice = chosenVoice(settings);
    if (voice) {
      utterance.voice = voice;
      utterance.lang = voice.lang;
    } else {
      utterance.lang = document.documentElement.lang || "en";
    }
    utterance.rate = settings.rate;
    utterance.volume = settings.volume;
    synth.speak(utterance);
  }

  function stop() {
    synth.cancel(); // harmless when nothing is being read
  }

  // What a step says: its name, then its cue.
  function stepWords(guide) {
    var heading = guide.dataset.announce || "";
    var cue = guide.querySelector(".practice-cue");
    var words = cue ? cue.textContent.trim() : "";
    return heading ? heading + ". " + words : words;
  }

  function stepKey(guide) {
    var step = guide.querySelector('input[name="step"]');
    return step ? step.value : "";
  }

  // The control ------------------------------------------------------------------

  function fillVoices(select, settings) {
    var keep = select.options[0];
    select.textContent = "";
    select.appendChild(keep);
    voicesInOrder().forEach(function (voice) {
      var option = document.createElement("option");
      option.value = voice.voiceURI;
      option.textContent = voice.name + (voice.localService ? "" : " (needs a connection)");
      select.appendChild(option);
    });
    select.value = settings.voice;
    if (select.value !== settings.voice) select.value = "";
  }

  function setUpControl(control, guide) {
    if (control.dataset.ready) return;
    control.dataset.ready = "1";
    var settings = load();
    var box = control.querySelector("[data-read-aloud-on]");
    var details = control.querySelector("[data-read-aloud-settings]");
    var voice = control.querySelector("[data-read-aloud-voice]");
    var rate = control.querySelector("[data-read-aloud-rate]");
    var volume = control.querySelector("[data-read-aloud-volume]");
    control.hidden = false;
    box.checked = settings.on;
    details.open = settingsOpen;
    rate.value = String(settings.rate);
    volume.value = String(settings.volume);
    fillVoices(voice, settings);
    synth.addEventListener("voiceschanged", function () {
      if (document.body.contains(voice)) fillVoices(voice, load());
    });

    function remember() {
      var next = load();
      next.on = box.checked;
      next.voice = voice.value;
      next.rate = within(rate.value, 0.5, 1.5, DEFAULTS.rate);
      next.volume = within(volume.value, 0, 1, DEFAULTS.volume);
      save(next);
    }
    box.addEventListener("change", function () {
      remember();
      if (!box.checked) {
        stop();
      } else if (guide.dataset.running === "1") {
        lastSpoken = stepKey(guide);
        speakStep(guide);
      }
    });
    details.addEventListener("toggle", function () {
      settingsOpen = details.open;
    });
    [voice, rate, volume].forEach(function (input) {
      input.addEventListener("change", remember);
    });
  }

  function speakStep(guide) {
    // Breathwork speaks its phases as they come (below), not the step.
    if (guide.dataset.practiceGuide === "breathwork") return;
    speak(stepWords(guide));
  }

  // A stage swapped in (or the page loaded) ------------------------------------------

  function stageArrived(container) {
    var guide = container.matches && container.matches("[data-practice-guide]")
      ? container
      : container.querySelector && container.querySelector("[data-practice-guide]");
    if (!guide) {
      // A check-in: the practice is over or not begun.
      var stage = container.matches && container.matches("[data-stage]");
      if (stage || (container.querySelector && container.querySelector("[data-stage]"))) {
        stop();
        lastSpoken = null;
      }
      return;
    }
    // htmx's first onLoad and the page's load both bring the same stage.
    if (guide.dataset.speechSeen) return;
    guide.dataset.speechSeen = "1";
    var control = guide.querySelector("[data-read-aloud]");
    if (control) setUpControl(control, guide);
    if (guide.dataset.running !== "1") {
      stop(); // paused: the voice stops with the practice
      wasPaused = true;
      return;
    }
    var key = stepKey(guide);
    // A new step is read; so is the same step again after a pause.
    if (key !== lastSpoken || wasPaused) {
      lastSpoken = key;
      wasPaused = false;
      speakStep(guide);
    }
  }

  document.addEventListener("practice:phase", function (event) {
    speak(event.detail && event.detail.label);
  });
  // A pause button pressed: quiet at once, before the server answers.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.action && /\/pause\/$/.test(form.action)) stop();
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var path = event.detail && event.detail.requestConfig && event.detail.requestConfig.path;
    if (path && /\/pause\/$/.test(path)) stop();
  });
  window.addEventListener("pagehide", stop);

  if (window.htmx) window.htmx.onLoad(stageArrived);
  function ready() {
    stageArrived(document.body);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
