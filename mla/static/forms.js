/* A refused form says so first: the focus moves to the error summary (or to an error message at the
   top of the page), so that screen readers read it out and the keyboard starts there; a link of the
   summary moves the focus into its field. A file of its own, as the CSP runs no inline script. */
(function () {
  "use strict";
  var first = document.querySelector("[data-focus-on-load]");
  if (first) {
    first.focus();
  }
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      var label = document.querySelector("label[for='" + target.id + "']") || target;
      label.scrollIntoView();
      target.focus({ preventScroll: true });
    });
  });
})();
