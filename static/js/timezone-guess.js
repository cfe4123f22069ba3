// The time-zone field is a text box, so pages don't carry ~600 zones each.
// This script fetches the list once (from the field's data-timezone-list URL)
// into a <datalist>, for the browser's own suggestions as a person types, and
// at sign-up fills in the browser's own zone when the field still says UTC.
// Without it the field still works: the server understands "Berlin" and names
// the zones a near miss resembles.
(function () {
  "use strict";

  var LIST_ID = "timezone-options";
  var loading = null;

  function loadZones(url) {
    if (!loading) {
      loading = fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("time zones: " + response.status);
          return response.json();
        })
        .then(function (data) {
          var list = document.createElement("datalist");
          list.id = LIST_ID;
          data.timezones.forEach(function (zone) {
            var option = document.createElement("option");
            option.value = zone;
            list.appendChild(option);
          });
          document.body.appendChild(list);
          return data.timezones;
        });
    }
    return loading;
  }

  function enhance(input) {
    return loadZones(input.dataset.timezoneList).then(function (zones) {
      // An htmx swap brings a new input: point each at the one list.
      input.setAttribute("list", LIST_ID);
      return zones;
    });
  }

  function guess(input) {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    enhance(input).then(function (zones) {
      if (zone && input.value === "UTC" && zones.indexOf(zone) !== -1) input.value = zone;
    }, function () {});
  }

  var guessed = document.querySelector("input[data-guess-timezone]");
  if (guessed) guess(guessed);

  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-timezone-list]")) enhance(input).catch(function () {});
  });
})();
