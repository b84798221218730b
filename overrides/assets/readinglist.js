/* Ripples private reading list (/clinicians/list/).
   The selection lives only in the link's #fragment: browsers never send it to a server, and
   nothing is stored (no cookies, no localStorage). The link names each story by a short code
   ("#c=code,code", macros/render/listcodes.py) so it shows no title to whoever sees it; older links
   with story ids ("#s=id,id") still open. Story data comes from the
   build's stories.json and is only ever set as text (textContent), never as markup.
   With a selection in the link the page shows the patient's calm view; without one, the
   clinician's builder. */
(function () {
  "use strict";
  var root = document.querySelector(".rl");
  if (!root) return;
  var $ = function (sel) { return root.querySelector(sel); };
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var CODE = /^[0-9a-z]{7}$/;
  var chosen = [];
  var data = null;
  var byId = new Map(), byCode = new Map();  // Maps: an id such as "constructor" is just a key

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function plural(n) { return n + (n === 1 ? " story" : " stories"); }

  function siteRoot() {  // this page is <root>/clinicians/list/
    return new URL("../../", location.href).href;
  }

  function listLink() {
    var codes = chosen.map(function (id) { return byId.get(id).code; });
    return location.origin + location.pathname + (codes.length ? "#c=" + codes.join(",") : "");
  }

  function decoded(part) {  // a cut or mistyped %-escape spoils its own part, never the list
    try { return decodeURIComponent(part); } catch (e) { return null; }
  }

  // Any fragment, however damaged, gives the stories it still names (each once, in order) and
  // how many parts name nothing on the site. null: the link holds no list at all.
  function fromFragment(hash) {
    var ids = [], seen = new Set(), gone = 0, found = false;
    hash.replace(/^#/, "").split("&").forEach(function (param) {
      var key = param.slice(0, 2);
      if (key !== "s=" && key !== "c=") return;
      found = true;
      param.slice(2).split(/,|%2C/i).forEach(function (part) {
        if (!part) return;
        var text = decoded(part), id = null;
        if (text !== null && key === "c=" && CODE.test(text)) id = byCode.get(text) || null;
        if (text !== null && key === "s=" && ID.test(text) && byId.has(text)) id = text;
        if (id === null) { gone += 1; return; }
        if (!seen.has(id)) { seen.add(id); ids.push(id); }
      });
    });
    return found ? {ids: ids, gone: gone} : null;
  }

  function applyReaderNotes() {  // the reader's own content-note choice (ripples.js)
    return window.ripplesNotes ? window.ripplesNotes.apply() : 0;
  }

  function noteNames(story) {
    return story.notes.map(function (n) { return data.content_notes[n] || n; });
  }

  function card(story, withAddress) {
    var li = el("li", "story-card");
    li.setAttribute("data-content-notes", story.notes.join(" "));
    var title = el("p", "card-title");
    var a = el("a", "", story.title);
    a.href = siteRoot() + story.url;
    title.appendChild(a);
    li.appendChild(title);
    if (story.summary) li.appendChild(el("p", "card-summary", story.summary));
    if (story.notes.length) {
      var notes = el("p", "card-notes");
      notes.appendChild(el("span", "cn-label", "Content notes:"));
      notes.appendChild(document.createTextNode(" " + noteNames(story).join(", ")));
      li.appendChild(notes);
    }
    if (withAddress) li.appendChild(el("p", "card-address print-block", (siteRoot() + story.url).replace(/^[a-z]+:\/\//, "")));
    return li;
  }

  // ---- QR code: drawn as SVG elements (no markup strings, no style attributes) ----
  function drawQr(box, text) {
    while (box.firstChild) box.removeChild(box.firstChild);
    if (typeof window.qrcode !== "function") return;
    var qr = window.qrcode(0, "M");
    qr.addData(text);
    qr.make();
    var n = qr.getModuleCount(), quiet = 4, size = n + 2 * quiet, d = "";
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < n; c++) {
        if (qr.isDark(r, c)) d += "M" + (c + quiet) + " " + (r + quiet) + "h1v1h-1z";
      }
    }
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("class", "qr rl-qr-svg");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("shape-rendering", "crispEdges");
    var bg = document.createElementNS(ns, "rect");
    bg.setAttribute("width", size); bg.setAttribute("height", size); bg.setAttribute("fill", "#ffffff");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", d); path.setAttribute("fill", "#000000");
    svg.appendChild(bg); svg.appendChild(path);
    box.appendChild(svg);
    box.setAttribute("data-text", text);
  }

  // ---- the clinician's builder --------------------------------------------------
  function matches(story) {
    var domain = $("#rl-domain").value, theme = $("#rl-theme").value;
    var left = [];
    root.querySelectorAll(".rl-notes input:checked").forEach(function (b) { left.push(b.value); });
    return (!domain || story.domains.indexOf(domain) !== -1) &&
           (!theme || story.themes.indexOf(theme) !== -1) &&
           !story.notes.some(function (n) { return left.indexOf(n) !== -1; });
  }

  function renderCatalogue() {
    var list = $(".rl-catalogue");
    var shown = 0;
    list.querySelectorAll("li").forEach(function (li) {
      var story = byId.get(li.getAttribute("data-id"));
      li.hidden = !matches(story);
    });
    applyReaderNotes();
    list.querySelectorAll("li").forEach(function (li) {
      if (!li.hidden && !li.hasAttribute("data-cn-hidden")) shown += 1;
    });
    $(".rl-shown").textContent = "Showing " + plural(shown) + " of " + data.stories.length + ".";
  }

  function renderChosen() {
    var list = $(".rl-chosen");
    while (list.firstChild) list.removeChild(list.firstChild);
    chosen.forEach(function (id) { list.appendChild(card(byId.get(id), true)); });
    $(".rl-count").textContent = chosen.length ? plural(chosen.length) + " chosen." : "No stories chosen yet.";
    var link = listLink();
    $(".rl-share").hidden = chosen.length === 0;
    $("#rl-link").value = link;
    $(".rl-print-link").textContent = "Open this list: " + link;
    var body = "Here are some stories I picked for you to read, at your own pace:\n\n" + link +
               "\n\nThe list is in the link itself, as short codes: this site never sees it, " +
               "but anyone who has the link can open it.";
    $(".rl-mail").href = "mailto:?subject=" + encodeURIComponent("Stories to read") + "&body=" + encodeURIComponent(body);
    $(".rl-sms").href = "sms:?&body=" + encodeURIComponent("Stories I picked for you: " + link);
    drawQr($(".rl-qr"), link);
  }

  function buildCatalogue() {
    var list = $(".rl-catalogue");
    data.stories.forEach(function (story) {
      var li = card(story, false);
      li.setAttribute("data-id", story.id);
      var title = li.querySelector(".card-title");
      var label = el("label", "rl-pick");
      var box = el("input");
      box.type = "checkbox"; box.value = story.id;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" Add to the list: " + story.title));
      li.insertBefore(label, title);
      li.removeChild(title);
      var read = el("p", "rl-read");
      var a = el("a", "", "Read the story");
      a.href = siteRoot() + story.url;
      a.setAttribute("aria-label", "Read the story: " + story.title);
      read.appendChild(a);
      li.appendChild(read);
      list.appendChild(li);
    });
    list.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches("input[type=checkbox]")) return;
      chosen = chosen.filter(function (id) { return id !== box.value; });
      if (box.checked) chosen.push(box.value);
      renderChosen();
    });
    root.querySelector(".rl-filters").addEventListener("change", renderCatalogue);
    $(".rl-copy").addEventListener("click", function () {
      var button = this, link = listLink();
      var done = function (text) {
        button.textContent = text;
        var live = document.querySelector(".copy-status");
        if (live) live.textContent = text === "Link copied" ? "Link copied: " + link : "Could not copy. The link is " + link;
        setTimeout(function () { button.textContent = "Copy link"; }, 4000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link).then(function () { done("Link copied"); }, function () { done("Copy failed"); });
      } else {
        $("#rl-link").select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        done(ok ? "Link copied" : "Copy failed");
      }
    });
    renderCatalogue();
    renderChosen();
  }

  // ---- the patient's view ----------------------------------------------------------
  function showView(ids, gone) {
    var list = $(".rl-view-list");
    ids.forEach(function (id) { list.appendChild(card(byId.get(id), true)); });
    applyReaderNotes();
    if (gone) {
      var missing = $(".rl-missing");
      missing.textContent = plural(gone) + " in this link " + (gone === 1 ? "is" : "are") +
                            " no longer on the site.";
      missing.hidden = false;
    }
    var h1 = document.querySelector(".md-content h1");
    if (h1) h1.textContent = "Stories chosen for you";
    document.title = "Stories chosen for you - Ripples";
    $(".rl-view").hidden = false;
  }

  function start(json) {
    data = json;
    data.stories.forEach(function (s) { byId.set(s.id, s); });
    Object.keys(data.codes).forEach(function (code) { byCode.set(code, data.codes[code]); });
    $(".rl-nojs").hidden = true;
    var list = fromFragment(location.hash);
    if (list) {
      root.classList.add("rl-patient");
      showView(list.ids, list.gone);
    } else {
      $(".rl-builder").hidden = false;
      buildCatalogue();
    }
  }

  fetch(root.getAttribute("data-stories"), {credentials: "omit"})
    .then(function (r) { return r.json(); })
    .then(start, function () { $(".rl-nojs").textContent = "The list of stories could not be loaded. Please try again later."; });
  window.addEventListener("hashchange", function () { location.reload(); });
})();
