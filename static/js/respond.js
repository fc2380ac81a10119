// Respondent pages: a light touch over forms that work without JavaScript.
// A form being sent says so to assistive technology; a retry stays possible (the server
// makes a second submission of the same answers harmless).
document.addEventListener("submit", function (event) {
  var form = event.target;
  form.setAttribute("aria-busy", "true");
  setTimeout(function () { form.removeAttribute("aria-busy"); }, 8000);
});

// Nothing typed is lost: a page's answers are saved as a draft (as typed, nothing checked
// aloud) a moment after each change, and with a beacon when the page is left.
(function () {
  var form = document.querySelector("form[data-draft]");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var url = form.getAttribute("data-draft");
  var status = document.getElementById("save-status");
  var timer = null;
  var dirty = false;
  var DELAY = 1200;

  function body() { return new URLSearchParams(new FormData(form)); }
  function saved() { if (status) status.textContent = status.getAttribute("data-saved"); }
  function save() {
    timer = null;
    if (!dirty) return;
    dirty = false;
    fetch(url, { method: "POST", body: body(), credentials: "same-origin", keepalive: true })
      .then(function (response) { if (response.ok) saved(); else dirty = true; })
      .catch(function () { dirty = true; });
  }
  function changed() {
    dirty = true;
    if (status) status.textContent = "";
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    dirty = false;
    if (timer) clearTimeout(timer);
  });
  window.addEventListener("pagehide", function () {
    if (!dirty) return;
    dirty = false;
    if (timer) clearTimeout(timer);
    if (navigator.sendBeacon) navigator.sendBeacon(url, body());
    else save();
  });
})();

// Exclusive choices (« Aucun »): ticking one clears the others of its question, ticking
// another clears it. The server refuses the combination anyway.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[type=checkbox]") || !box.checked) return;
  var group = box.form ? box.form.querySelectorAll("input[type=checkbox]") : [];
  for (var i = 0; i < group.length; i++) {
    var other = group[i];
    if (other === box || other.name !== box.name || !other.checked) continue;
    if (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) {
      other.checked = false;
    }
  }
});

// "Not after today" (or "not before"): the date picker's limit, set on the respondent's day.
(function () {
  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function limit(root) {
    var inputs = root.querySelectorAll("input[data-today-max], input[data-today-min]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].hasAttribute("data-today-max")) inputs[i].max = today();
      if (inputs[i].hasAttribute("data-today-min")) inputs[i].min = today();
    }
  }
  document.addEventListener("DOMContentLoaded", function () { limit(document); });
  document.addEventListener("htmx:afterSwap", function (event) { limit(event.target); });
})();

// « Écouter »: a question and its choices read aloud by the browser's own speech synthesis.
// Progressive: no button without JavaScript, without the API, or without a voice for the
// page's language.
(function () {
  var form = document.querySelector("form[data-listen]");
  if (!form || !window.speechSynthesis || !window.SpeechSynthesisUtterance) return;
  var lang = (document.documentElement.lang || "fr").toLowerCase();
  var synth = window.speechSynthesis;

  function voice() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().indexOf(lang) === 0) return voices[i];
    }
    return null;
  }
  function words(block) {
    var parts = [];
    var label = block.querySelector(".question-label, .note p");
    if (label) parts.push(label.textContent);
    var hint = block.querySelector(".hint");
    if (hint) parts.push(hint.textContent);
    var items = block.querySelectorAll(
      ".option span, .rating-option span, .rank-item label, .matrix-row legend");
    for (var i = 0; i < items.length; i++) parts.push(items[i].textContent);
    return parts.join(". ").replace(/\s+/g, " ").trim();
  }
  function add(root) {
    if (!voice()) return;
    var blocks = root.querySelectorAll(".question");
    for (var i = 0; i < blocks.length; i++) {
      (function (block) {
        if (block.querySelector(".listen")) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button listen";
        button.textContent = form.getAttribute("data-listen");
        button.addEventListener("click", function () {
          synth.cancel();
          var spoken = new window.SpeechSynthesisUtterance(words(block));
          spoken.voice = voice();
          spoken.lang = spoken.voice ? spoken.voice.lang : lang;
          synth.speak(spoken);
        });
        block.insertBefore(button, block.firstChild);
      })(blocks[i]);
    }
  }
  add(document);
  if (synth.addEventListener) synth.addEventListener("voiceschanged", function () { add(document); });
  document.addEventListener("htmx:afterSwap", function (event) { add(event.target); });
})();
