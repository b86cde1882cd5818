// Report page: the "Afdrukken" button. It is hidden in the HTML and shown here, so that nobody
// without JavaScript sees a button that does nothing. No inline script: a strict CSP is coming.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
