// "Lees voor": reads the main text of the page ([data-read-aloud] regions and the questions of a form
// marked [data-read-aloud-questions], in page order) aloud with the
// browser's own speech synthesis, in the page's language (nl-NL or en). The button is hidden in the HTML
// and shown here only when the browser has speechSynthesis and a voice for that language. No inline
// script: the CSP allows none.
(function () {
  "use strict";
  var button = document.querySelector("[data-read-aloud-button]");
  if (!button || !("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var synth = window.speechSynthesis;
  var lang = button.getAttribute("data-lang") || "nl-NL";
  var base = lang.split("-")[0].toLowerCase();
  var label = button.textContent;
  var voice = null;

  function pickVoice() {
    var voices = synth.getVoices() || [];
    var exact = null, same = null;
    for (var i = 0; i < voices.length; i++) {
      var v = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (v === lang.toLowerCase() && !exact) { exact = voices[i]; }
      if (v.split("-")[0] === base && !same) { same = voices[i]; }
    }
    voice = exact || same;
    button.hidden = !voice;
  }

  function text() {
    // innerText leaves out what is not shown: a closed <details>, hidden buttons. Of a question page's
    // form only the questions are read, not every answer option.
    var parts = document.querySelectorAll("[data-read-aloud], [data-read-aloud-questions] legend");
    return Array.prototype.map.call(parts, function (el) {
      return el.innerText;
    }).join("\n");
  }

  function stopped() {
    button.textContent = label;
    button.setAttribute("aria-pressed", "false");
  }

  button.addEventListener("click", function () {
    if (button.getAttribute("aria-pressed") === "true") {
      synth.cancel();
      stopped();
      return;
    }
    synth.cancel();
    var utterance = new window.SpeechSynthesisUtterance(text());
    utterance.lang = lang;
    if (voice) { utterance.voice = voice; }
    utterance.onend = stopped;
    utterance.onerror = stopped;
    button.textContent = button.getAttribute("data-stop");
    button.setAttribute("aria-pressed", "true");
    synth.speak(utterance);
  });

  pickVoice();
  // Many browsers load their voices after the page: look again when they arrive.
  if (typeof synth.addEventListener === "function") {
    synth.addEventListener("voiceschanged", pickVoice);
  }
})();
