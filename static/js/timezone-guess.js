// At sign-up, pre-select the browser's own time zone when the list has it.
(function () {
  var select = document.querySelector("select[data-guess-timezone]");
  if (!select || select.dataset.guessed) return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (zone && select.value === "UTC" && select.querySelector('option[value="' + zone + '"]')) {
    select.value = zone;
  }
  select.dataset.guessed = "1";
})();
