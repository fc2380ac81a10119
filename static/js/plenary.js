/* Plenary: live poll results on the projector (Server-Sent Events, polling every 2 s when
   EventSource is missing or failing) and keyboard navigation of the presentation deck.
   Without JavaScript the screen shows the results as loaded and the deck is a vertical scroll. */
(function () {
  "use strict";

  var POLL_MS = 2000;

  function liveResults(box) {
    var timer = null;
    var source = null;

    function show(html) {
      if (box.innerHTML !== html) { box.innerHTML = html; }
    }

    function poll() {
      fetch(box.dataset.poll, { headers: { "HX-Request": "true" }, credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null) { show(html); } })
        .catch(function () {});
    }

    function startPolling() {
      if (timer === null) { poll(); timer = window.setInterval(poll, POLL_MS); }
    }

    function stopPolling() {
      if (timer !== null) { window.clearInterval(timer); timer = null; }
    }

    if (!window.EventSource || box.dataset.transport === "poll") { startPolling(); return; }
    source = new EventSource(box.dataset.stream);
    source.addEventListener("results", function (event) { stopPolling(); show(event.data); });
    source.addEventListener("open", stopPolling);
    source.addEventListener("error", function () {
      // The browser retries by itself; meanwhile, and for good if it gave up, poll.
      startPolling();
      if (source.readyState === EventSource.CLOSED) { source = null; }
    });
  }

  function deck(root) {
    var slides = Array.prototype.slice.call(root.querySelectorAll(".slide"));
    if (!slides.length) { return; }
    var index = 0;
    document.body.classList.add("deck-js");

    function go(to) {
      index = Math.max(0, Math.min(slides.length - 1, to));
      slides.forEach(function (s, i) {
        s.classList.toggle("current", i === index);
        s.setAttribute("aria-hidden", i === index ? "false" : "true");
      });
      var counter = document.getElementById("deck-counter");
      if (counter) { counter.textContent = (index + 1) + " / " + slides.length; }
      if (window.location.hash !== "#" + slides[index].id) {
        window.history.replaceState(null, "", "#" + slides[index].id);
      }
    }

    var start = slides.findIndex(function (s) { return "#" + s.id === window.location.hash; });
    go(start > 0 ? start : 0);

    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      var tag = (event.target && event.target.tagName) || "";
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
      var key = event.key;
      if (key === "ArrowRight" || key === "ArrowDown" || key === " " || key === "PageDown") {
        go(index + 1);
      } else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp" || key === "Backspace") {
        go(index - 1);
      } else if (key === "Home") {
        go(0);
      } else if (key === "End") {
        go(slides.length - 1);
      } else if (key === "f" || key === "F") {
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("poll-results");
    if (box && box.dataset.stream) { liveResults(box); }
    // live-poll slides of a deck (each with its own stream)
    Array.prototype.forEach.call(document.querySelectorAll(".live-poll[data-stream]"), liveResults);
    var root = document.getElementById("deck");
    if (root) { deck(root); }
  });
})();
