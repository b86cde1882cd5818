// Report page: the "Afdrukken" button and the "Kopieer de link" button. Both are hidden in the HTML and
// shown here, so that nobody without JavaScript sees a button that does nothing; without JavaScript the
// report link is still there as text to copy by hand. No inline script: the CSP allows none.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // On paper every step counts: open the "Meer stappen" disclosures before printing (print.css cannot).
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.more-steps").forEach(function (d) { d.open = true; });
  });

  // Copying needs the Clipboard API, which browsers offer on HTTPS (and on localhost) only.
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var link = document.getElementById(button.getAttribute("data-copy"));
    var panel = button.closest("section");
    var status = panel && panel.querySelector(".copy-status");
    if (!link || !status) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "";
      navigator.clipboard.writeText(link.href).then(function () {
        status.textContent = button.getAttribute("data-copied");
      }, function () {
        // Refused (no permission): select the link's text, so that copying by hand is one step.
        var range = document.createRange();
        range.selectNodeContents(link);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        status.textContent = button.getAttribute("data-failed");
      });
    });
  });
})();
