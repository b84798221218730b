/* Ripples: copy link, print handout, content-note filter. No network, no storage
   beyond Material's own palette preference. Everything works (visible, labelled)
   without this script. */
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
      var url = button.getAttribute("data-url");
      copyText(url).then(function () {
        button.textContent = "Link copied";
        button.setAttribute("data-copied", url);
        status("Link copied: " + url);
      }, function () {
        button.textContent = "Copy failed";
        status("Could not copy. The link is " + url);
      });
      setTimeout(function () { button.textContent = "Copy link"; }, 4000);
    } else if (button.classList.contains("print-handout")) {
      window.print();
    }
  });

  function setupFilter(fieldset) {
    var scope = fieldset.parentElement;
    var cards = scope.querySelectorAll(".story-card");
    var out = fieldset.querySelector(".cn-status");
    var update = function () {
      var hidden = [];
      fieldset.querySelectorAll("input:checked").forEach(function (box) { hidden.push(box.value); });
      var count = 0;
      cards.forEach(function (card) {
        var notes = (card.getAttribute("data-content-notes") || "").split(" ");
        var hide = notes.some(function (n) { return n && hidden.indexOf(n) !== -1; });
        card.hidden = hide;
        if (hide) count += 1;
      });
      out.textContent = count ? count + " stor" + (count === 1 ? "y" : "ies") + " hidden" : "";
    };
    fieldset.hidden = false;
    fieldset.addEventListener("change", update);
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
  var init = function () { document.querySelectorAll(".cn-filter").forEach(setupFilter); markSection(); };
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); } else { init(); }
})();
