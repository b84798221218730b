/* Ripples search: a small UI over Pagefind's JS API (partials/search.html).
   - Nothing of the index loads until the reader opens search (focus, click, / or s).
   - Queries stay in the browser: Pagefind fetches static index chunks from this
     site, and the query is never written to the address bar or stored.
   - Facets: relationship, theme, chapter; and the shared content-note preference
     (localStorage "ripples.hiddenNotes", a JSON array of content-note ids), written
     only when the reader ticks or unticks a box.
   - Keyboard: / or s opens, Esc closes, arrow keys move through the results, Enter
     on the field opens the first result. */
(function () {
  "use strict";
  var PAGE = 8;  // results per batch: each shown result loads its fragment (~3-5 KB gzip)
  var toggle = document.getElementById("__search");
  var root = document.querySelector("[data-rp-search]");
  if (!toggle || !root) return;
  var input = root.querySelector(".md-search__input");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var more = root.querySelector(".rp-search-more");
  var clear = root.querySelector(".rp-search-clear");
  var facetBox = root.querySelector(".rp-facets");
  var selects = root.querySelectorAll("select[data-rp-facet]");
  var notesBox = root.querySelector(".rp-notes-boxes");
  var facetsOn = root.querySelector(".rp-facets-on");
  var base = new URL(root.getAttribute("data-rp-base") || ".", location.href);
  if (!/\/$/.test(base.pathname)) base = new URL(base.pathname + "/", base);

  var engine = null;     // Promise of the Pagefind module, made on first open
  var facetsReady = null;
  var current = null;    // {results, shown}
  var seq = 0;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", base).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: base.pathname, excerptLength: 24 }).then(function () {
          pagefind.init();
          return pagefind;
        });
      });
      engine.catch(function () { engine = null; say("Search could not load. Browse the chapters, relationships and themes instead."); });
    }
    return engine;
  }

  // ---- content-note preference: one store, kept by ripples.js (the hubs' filter) ----
  function hiddenNotes() { return window.ripplesNotes ? window.ripplesNotes.load() : []; }
  function storeNotes(ids) { if (window.ripplesNotes) window.ripplesNotes.save(ids); }

  function option(select, id, name) {
    var o = document.createElement("option");
    o.value = id; o.textContent = name;
    select.appendChild(o);
  }

  function loadFacets() {
    if (!facetsReady) {
      facetsReady = fetch(new URL("search/facets.json", base).href).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (facets) {
        selects.forEach(function (select) {
          (facets[select.getAttribute("data-rp-facet")] || []).forEach(function (e) { option(select, e[0], e[1]); });
        });
        var hidden = hiddenNotes();
        (facets.note || []).forEach(function (e) {
          var label = document.createElement("label");
          var box = document.createElement("input");
          box.type = "checkbox"; box.value = e[0]; box.checked = hidden.indexOf(e[0]) !== -1;
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + e[1]));
          notesBox.appendChild(label);
        });
        facetBox.hidden = false;
      });
      facetsReady.catch(function () { facetsReady = null; });
    }
    return facetsReady;
  }

  function filters() {
    var out = {};
    var on = 0;
    selects.forEach(function (s) { if (s.value) { out[s.getAttribute("data-rp-facet")] = s.value; on += 1; } });
    var notes = hiddenNotes();
    if (notes.length) { out.note = { none: notes }; on += notes.length; }
    facetsOn.textContent = on ? " (" + on + " on)" : "";
    return out;
  }

  // ---- open and close ----
  function setOpen(open) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
    if (open) { load(); loadFacets(); }
  }
  function say(text) { meta.textContent = text; }

  // ---- results ----
  // Pagefind's excerpt is text with <mark> around matches. It is parsed inert (a
  // template runs nothing) and only its text and <mark>s are copied over.
  function excerptNode(html) {
    var p = document.createElement("p");
    var t = document.createElement("template");
    t.innerHTML = html || "";
    t.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        p.appendChild(m);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function resultItem(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("p");
    title.className = "rp-result-title";
    title.textContent = (data.meta && data.meta.title) || data.url;
    article.appendChild(title);
    var excerpt = excerptNode(data.excerpt);
    excerpt.className = "rp-result-excerpt";
    article.appendChild(excerpt);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function showMore(mine) {
    var batch = current.results.slice(current.shown, current.shown + PAGE);
    current.shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
      if (mine !== seq) return;
      datas.forEach(function (d) { list.appendChild(resultItem(d)); });
      more.hidden = current.shown >= current.results.length;
      root.setAttribute("data-rp-state", "done");
    });
  }

  function count(n) {
    return n === 0 ? "No matching stories or pages" : n + " matching " + (n === 1 ? "page" : "pages");
  }

  function run() {
    var query = input.value.trim();
    var mine = ++seq;
    root.setAttribute("data-rp-state", "busy");
    if (!query) {
      list.textContent = ""; more.hidden = true; current = null;
      say("Type to search the stories and guides");
      root.setAttribute("data-rp-state", "idle");
      return;
    }
    Promise.all([load(), loadFacets().catch(function () {})]).then(function (loaded) {
      return loaded[0].debouncedSearch(query, { filters: filters() }, 150);
    }).then(function (search) {
      if (search === null || mine !== seq) return;  // a newer keystroke took over
      list.textContent = "";
      current = { results: search.results, shown: 0 };
      var hidden = search.unfilteredResultCount - search.results.length;
      say(count(search.results.length) + (hidden > 0 ? " (" + hidden + " more without the filters)" : ""));
      return showMore(mine);
    }).catch(function () {
      if (mine === seq) { say("Search could not load. Browse the chapters, relationships and themes instead."); }
    });
  }

  // ---- wiring ----
  input.addEventListener("focus", function () { setOpen(true); });
  input.addEventListener("input", run);
  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      load(); loadFacets();
      if (document.activeElement !== input) input.focus();
    }
  });
  clear.addEventListener("click", function () { input.value = ""; run(); input.focus(); });
  more.addEventListener("click", function () { if (current) showMore(seq); });
  selects.forEach(function (s) { s.addEventListener("change", run); });
  notesBox.addEventListener("change", function () {
    var ids = [];
    notesBox.querySelectorAll("input:checked").forEach(function (b) { ids.push(b.value); });
    storeNotes(ids);  // the reader chose: remember it, as the hubs' filter does
    run();
  });

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function resultLinks() { return Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link")); }

  document.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    var active = document.activeElement;
    if (!toggle.checked) {
      if ((event.key === "/" || event.key === "s") && !editable(active)) {
        event.preventDefault();
        setOpen(true);
        input.focus();
        input.select();
      }
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      input.blur();
      return;
    }
    var links = resultLinks();
    var here = links.indexOf(active);
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && (active === input || here !== -1)) {
      event.preventDefault();
      var stops = [input].concat(links);
      var at = active === input ? 0 : here + 1;
      var next = (at + (event.key === "ArrowDown" ? 1 : -1) + stops.length) % stops.length;
      stops[next].focus();
    } else if (event.key === "Enter" && active === input && links.length) {
      event.preventDefault();
      links[0].click();
    }
  }, true);

  // A shared search link (#search=words) opens search with its results. The query
  // is in the address only because the reader followed such a link.
  var shared = /^#search=(.+)$/.exec(location.hash);
  if (shared) {
    try { input.value = decodeURIComponent(shared[1].replace(/\+/g, " ")); } catch (e) { input.value = ""; }
    if (input.value) { setOpen(true); run(); }
  }

  // Leaving the search region by keyboard closes it, as Material's did on Tab.
  root.addEventListener("focusout", function (event) {
    var to = event.relatedTarget;
    if (to && !root.contains(to) && to !== toggle) setOpen(false);
  });
})();
