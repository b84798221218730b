/* Ripples: copy link, print handout, content-note filter. No network. Storage: Material's
   palette preference, and the content-note choice only once the reader makes one.
   Everything works (visible, labelled) without this script. */
(function () {
  "use strict";
  var status = function (text) {
    var live = document.querySelector(".copy-status");
    if (live) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 50); }
  };

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.className = "visually-hidden";
    document.body.appendChild(area); area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) return;
    if (button.classList.contains("copy-link")) {
      // An icon button: its text shows only while it says what happened (ripples.css).
      var url = button.getAttribute("data-url");
      var text = button.querySelector(".copy-link-text") || button;
      // Once its words show, the button's name starts with them (WCAG 2.5.3 label in name).
      if (button.rpLabel === undefined) button.rpLabel = button.getAttribute("aria-label");
      var say = function (words) {
        var shown = words !== "Copy link";
        text.textContent = words;
        button.classList.toggle("is-copied", shown);
        if (button.rpLabel) button.setAttribute("aria-label", shown ? words + ". " + button.rpLabel : button.rpLabel);
      };
      copyText(url).then(function () {
        say("Link copied");
        button.setAttribute("data-copied", url);
        status("Link copied: " + url);
      }, function () {
        say("Copy failed");
        status("Could not copy. The link is " + url);
      });
      setTimeout(function () { say("Copy link"); }, 4000);
    } else if (button.classList.contains("copy-story")) {
      var whole = button.getAttribute("data-url");
      copyText(whole).then(function () {
        button.textContent = "Link copied";
        status("Link copied: " + whole);
      }, function () {
        button.textContent = "Copy failed";
        status("Could not copy. The link is " + whole);
      });
      setTimeout(function () { button.textContent = "Copy link"; }, 4000);
    } else if (button.classList.contains("print-handout")) {
      window.print();
    } else if (button.classList.contains("cn-reset")) {
      showAll();
    }
  });

  // ---- content-note filter -------------------------------------------------------
  // One choice for every place on every page that names a story (cards, link lists, an
  // essay's story links, the chapter links, the reading list), remembered on this device only
  // when the reader ticks a box: localStorage "ripples.hiddenNotes", a JSON array of
  // content-note ids (shared with search). "Show all stories" forgets it.
  // Every such place carries data-content-notes (macros/render/pages.py notes_attr, readinglist.js).
  var KEY = "ripples.hiddenNotes";
  function loadHidden() {
    try {
      var v = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(v) ? v.filter(function (x) { return typeof x === "string"; }) : [];
    } catch (e) { return []; }
  }
  function saveHidden(ids) {
    try {
      if (ids.length) localStorage.setItem(KEY, JSON.stringify(ids)); else localStorage.removeItem(KEY);
    } catch (e) { /* storage blocked: the filter still works on this page */ }
  }
  function hides(notes, hidden) {
    return notes.some(function (n) { return n && hidden.indexOf(n) !== -1; });
  }

  // Pages without the checkboxes (stories, pathways, essays, the reading list) say what the
  // filter hid and offer to show everything again.
  function notice(count) {
    var box = document.querySelector(".cn-notice");
    if (!count && !box) return;
    if (!box) {
      var article = document.querySelector(".md-content__inner");
      if (!article) return;
      box = document.createElement("p");
      box.className = "cn-notice";
      box.setAttribute("role", "status");
      box.tabIndex = -1;
      box.appendChild(document.createElement("span"));
      var reset = document.createElement("button");
      reset.type = "button"; reset.className = "cn-reset"; reset.textContent = "Show all stories";
      box.appendChild(reset);
      var h1 = article.querySelector("h1");
      if (h1) h1.insertAdjacentElement("afterend", box); else article.insertBefore(box, article.firstChild);
    }
    box.firstChild.textContent = count
      ? (count === 1 ? "1 story is" : count + " stories are") + " not shown on this page: you chose to hide " +
        "stories with some content notes (on this device only). "
      : "All stories are shown.";
    box.lastChild.hidden = !count;
  }

  // The one place that applies the choice: returns how many stories it hid on the page.
  function applyNotes(hidden) {
    var cards = 0, stories = {};
    document.querySelectorAll("[data-content-notes]").forEach(function (item) {
      var hide = hides((item.getAttribute("data-content-notes") || "").split(" "), hidden);
      if (hide) item.setAttribute("data-cn-hidden", ""); else item.removeAttribute("data-cn-hidden");
      if (!hide) return;
      var a = item.querySelector("a[href]");
      stories[a ? a.href.split("#")[0] : "item" + cards] = true;
      if (item.classList.contains("story-card")) cards += 1;
    });
    var count = Object.keys(stories).length;
    var out = document.querySelector(".cn-filter .cn-status");
    if (out) out.textContent = cards ? cards + " stor" + (cards === 1 ? "y" : "ies") + " hidden" : "";
    notice(out ? 0 : count);
    return count;
  }
  window.ripplesNotes = {  // search.js shares the choice; readinglist.js applies it to the cards it makes
    load: loadHidden, save: saveHidden, hides: hides,
    apply: function () { return applyNotes(loadHidden()); }
  };

  function showAll() {
    document.querySelectorAll(".cn-filter input[type=checkbox]").forEach(function (box) { box.checked = false; });
    saveHidden([]);
    applyNotes([]);
    var box = document.querySelector(".cn-notice");
    if (box) box.focus();
    status("All stories are shown.");
  }

  function setupFilter(fieldset) {
    var boxes = fieldset.querySelectorAll("input[type=checkbox]");
    var stored = loadHidden();
    boxes.forEach(function (box) { box.checked = stored.indexOf(box.value) !== -1; });
    fieldset.hidden = false;
    fieldset.addEventListener("change", function () {
      // Keep remembered notes this page does not offer, so a choice made elsewhere survives.
      var offered = [], hidden = loadHidden();
      boxes.forEach(function (box) { offered.push(box.value); });
      hidden = hidden.filter(function (n) { return offered.indexOf(n) === -1; });
      boxes.forEach(function (box) { if (box.checked) hidden.push(box.value); });
      saveHidden(hidden);
      applyNotes(hidden);
    });
  }

  // Pathways and the reading list are not in the navigation: mark "For clinicians" as the
  // section the reader is in (a class only: it is not the current page).
  function markSection() {
    if (!/\/clinicians\/./.test(location.pathname)) return;
    document.querySelectorAll(".md-nav__link").forEach(function (a) {
      if (a.href && /\/clinicians\/$/.test(new URL(a.href, location.href).pathname)) {
        a.classList.add("md-nav__link--active", "rp-section-active");
      }
    });
  }
  var init = function () {
    var filter = document.querySelector(".cn-filter");  // at most one per page: it covers every listing
    if (filter) setupFilter(filter);
    applyNotes(loadHidden());
    markSection();
  };
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); } else { init(); }
})();
