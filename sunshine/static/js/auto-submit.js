// Filter forms marked data-autosubmit send themselves when a <select> in them changes (a same-origin script: the
// page's CSP blocks inline onchange handlers). The form keeps its own 筛选 button, so it works without JavaScript.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.tagName !== "SELECT" || !field.form || !field.form.hasAttribute("data-autosubmit")) { return; }
    if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
  });
})();
