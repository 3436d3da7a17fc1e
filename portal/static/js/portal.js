// Small enhancements on top of htmx. Everything works without this file.
(function () {
  "use strict";
  function requestError() {
    return document.getElementById("request-error");
  }
  // On a weak connection a request can fail: say so (the element is a role=alert region).
  document.addEventListener("htmx:sendError", function () {
    var el = requestError();
    if (el) { el.hidden = false; }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = requestError();
    if (el && event.detail && event.detail.successful) { el.hidden = true; }
  });

  // Staff: a warning two minutes before an idle session ends. "Stay signed in" posts with htmx;
  // any answered request counts as activity on the server, so the clock starts again.
  var warning = document.getElementById("session-warning");
  if (warning) {
    var idle = parseInt(warning.getAttribute("data-idle-seconds"), 10);
    var timer = null;
    var arm = function (seconds) {
      if (timer) { clearTimeout(timer); }
      warning.hidden = true;
      timer = setTimeout(function () { warning.hidden = false; }, Math.max(0, seconds - 120) * 1000);
    };
    arm(parseInt(warning.getAttribute("data-expires-in"), 10));
    document.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail && event.detail.successful) { arm(idle); }
    });
  }

  // The committee's printable report: a button that opens the browser's print dialogue.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });
})();
