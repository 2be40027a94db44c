/* Staff tables on a phone are shown as cards (sunshine.css): each cell gets its column's name as data-label, so
 * the card reads "金额：¥2,400.00" instead of a bare figure. A file, not an inline script (the CSP allows none). */
(function () {
  "use strict";
  function label(table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) { return; }
    var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var col = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (!cell.hasAttribute("data-label")) { cell.setAttribute("data-label", names[col] || ""); }
        col += cell.colSpan || 1;
      });
    });
  }
  function all() { document.querySelectorAll("table.table").forEach(label); }
  if (document.readyState !== "loading") { all(); } else { document.addEventListener("DOMContentLoaded", all); }
  // Rows that HTMX swaps in later get their labels too.
  document.addEventListener("htmx:afterSettle", all);
}());
