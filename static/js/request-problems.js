// When an htmx request fails, htmx swaps nothing (see htmx-config in base.html),
// so say what happened in words instead of leaving a silent page. The person's
// typing stays where it is; these messages only ever suggest trying again.
(function () {
  "use strict";

  var byStatus = {
    413: "That was too much to send at once, so it wasn't saved. Your words are still on the page: please shorten them and try again.",
    429: "That's a lot of requests in a short time. Please wait a minute and try again.",
    503: "We can't reach our storage just now, so that wasn't saved. Please wait a few seconds and try again.",
  };
  var otherwise = "Something went wrong on our side and that wasn't saved. Please try again in a moment.";
  var offline = "We couldn't reach Riverwise. Please check your connection and try again; nothing on this page was lost.";

  function show(text) {
    var box = document.getElementById("request-problem");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }

  function clear() {
    var box = document.getElementById("request-problem");
    if (box && !box.hidden) {
      box.hidden = true;
      box.textContent = "";
    }
  }

  document.addEventListener("htmx:responseError", function (event) {
    show(byStatus[event.detail.xhr.status] || otherwise);
  });
  document.addEventListener("htmx:sendError", function () {
    show(offline);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) clear();
  });
})();
