// Unit pickers on the case desk list about 370 units: a search box above each narrows the options as the officer
// types (a few lines here rather than a select library: the page's CSP allows only same-origin scripts, and the
// native <select> with <optgroup> stays usable without JavaScript, when the box simply stays hidden).
(function () {
  "use strict";
  function bind(box) {
    var select = box.parentNode.querySelector("select[data-unit-picker='" + box.dataset.unitSearch + "']");
    if (!select) { return; }
    box.hidden = false;
    box.addEventListener("input", function () {
      var needle = box.value.trim();
      var firstMatch = null;
      select.querySelectorAll("optgroup").forEach(function (group) {
        var any = false;
        group.querySelectorAll("option").forEach(function (option) {
          var match = !needle || option.textContent.indexOf(needle) !== -1 || group.label.indexOf(needle) !== -1;
          option.hidden = !match;
          option.disabled = !match;
          if (match) { any = true; if (!firstMatch) { firstMatch = option; } }
        });
        group.hidden = !any;
      });
      if (needle && firstMatch && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden
                                   || !select.value)) {
        select.value = firstMatch.value;
      }
    });
  }
  function init(root) {
    (root || document).querySelectorAll("input[data-unit-search]").forEach(bind);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { init(); }); }
  else { init(); }
})();
