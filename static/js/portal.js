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
})();
