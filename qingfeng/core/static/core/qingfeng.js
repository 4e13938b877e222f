// Behaviour lives here, not in attributes (strict CSP: no inline script, no hx-on).
(function () {
  "use strict";
  // Forms marked data-confirm ask before they submit (離岗, 停用, 撤销…).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
  // On phones the navigation starts folded.
  document.addEventListener("DOMContentLoaded", function () {
    var nav = document.querySelector("details.sidenav");
    if (nav && window.matchMedia("(max-width: 760px)").matches) {
      nav.removeAttribute("open");
    }
  });
  // htmx requests carry the CSRF token from the cookie.
  document.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) { event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]); }
  });
})();
