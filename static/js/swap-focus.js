// After an in-place update, htmx has replaced the element that had focus, so
// focus would fall to the page. Put it somewhere sensible instead: on the same
// control if the new content has one with the same data-focus-key, else on
// what the new content marks with data-swap-focus (the new row, the "Saved"
// message), else on a new stage's heading.
(function () {
  "use strict";

  var focusKey = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusKey = active && active.dataset ? active.dataset.focusKey || null : null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var active = document.activeElement;
    if (active && active !== document.body && document.body.contains(active)) return;
    var swapped = event.target;
    if (!swapped || !swapped.querySelector) return;
    var target =
      (focusKey && document.querySelector('[data-focus-key="' + focusKey + '"]')) ||
      (swapped.matches("[data-swap-focus]") ? swapped : swapped.querySelector("[data-swap-focus]")) ||
      swapped.querySelector("[data-stage-heading]");
    if (!target) return;
    // A message or row is not focusable by itself; -1 lets a script focus it.
    if (target.tabIndex < 0 && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  });
})();
