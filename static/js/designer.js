/* Designer: drag-and-drop ordering of questions (SortableJS) and the copy-link buttons.
   Without JavaScript the ↑/↓ buttons move questions and links are selected by hand. */
(function () {
  "use strict";

  function sortable(list) {
    if (list.dataset.sortable === "on" || typeof Sortable === "undefined") { return; }
    list.dataset.sortable = "on";
    Sortable.create(list, {
      group: "questions",
      handle: ".drag-handle",
      animation: 150,
      onEnd: function (evt) {
        if (evt.from === evt.to && evt.oldIndex === evt.newIndex) { return; }
        var item = evt.item;
        htmx.ajax("POST", item.dataset.move, {
          source: item,
          target: "#designer",
          swap: "outerHTML",
          values: { section: evt.to.dataset.section, index: String(evt.newIndex) }
        });
      }
    });
  }

  function copyButtons(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (button.dataset.ready) { return; }
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = button.dataset.copy;
        var done = function () { button.textContent = button.dataset.copied; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, done);
        }
      });
    });
  }

  function init(root) {
    root.querySelectorAll("ol.question-cards[data-section]").forEach(sortable);
    copyButtons(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
})();
