/* The report form's draft kept on the phone (localStorage), so a refused report never loses a word.
 * Loaded as a file (the Content-Security-Policy allows no inline script). Only the place and the words are kept:
 * never the name, phone or ID number of a real-name report (village phones are shared). Without JavaScript the
 * refused form still comes back filled in by the server; this only adds "keep it for later". */
(function () {
  "use strict";
  var KEY = "sunshine.report-draft";
  var FIELDS = ["township", "village", "about_person_name", "about_unit", "text"];

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function show(el) { if (el) { el.hidden = false; } }
  function hide(el) { if (el) { el.hidden = true; } }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var ls = store();
    if (!ls) { return; }
    if (document.querySelector("[data-draft-clear]")) {  // the report was received: the draft is done with
      ls.removeItem(KEY);
      return;
    }
    var form = document.querySelector("[data-draft-form]");
    if (!form) { return; }

    function field(name) { return form.elements.namedItem(name); }

    function save() {
      var draft = {};
      FIELDS.forEach(function (name) { var el = field(name); if (el && el.value) { draft[name] = el.value; } });
      draft.saved = new Date().toISOString();
      ls.setItem(KEY, JSON.stringify(draft));
    }

    function setVillage(value) {
      var village = field("village");
      if (village) { village.value = value; }
    }

    function restore(draft) {
      ["about_person_name", "about_unit", "text"].forEach(function (name) {
        var el = field(name);
        if (el && draft[name]) { el.value = draft[name]; }
      });
      var township = field("township");
      if (township && draft.township && township.value !== draft.township) {
        township.value = draft.township;
        // The village list follows the township (HTMX swaps it in): pick the village once it has arrived.
        document.body.addEventListener("htmx:afterSwap", function once() {
          document.body.removeEventListener("htmx:afterSwap", once);
          setVillage(draft.village || "");
        });
        township.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (draft.village) {
        setVillage(draft.village);
      }
    }

    var offer = document.querySelector("[data-draft-offer]");
    if (offer) {  // a refused report: offer to keep what was typed
      show(offer);
      offer.querySelector("[data-draft-save]").addEventListener("click", function () {
        save();
        show(offer.querySelector("[data-draft-saved]"));
      });
      return;
    }

    var raw = ls.getItem(KEY);
    var text = field("text");
    if (!raw || (text && text.value.trim())) { return; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { ls.removeItem(KEY); return; }
    var found = document.querySelector("[data-draft-found]");
    show(found);
    found.querySelector("[data-draft-restore]").addEventListener("click", function () {
      restore(draft);
      hide(found);
      if (text) { text.focus(); }
    });
    found.querySelector("[data-draft-discard]").addEventListener("click", function () {
      ls.removeItem(KEY);
      hide(found);
    });
  });
}());
