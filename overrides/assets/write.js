/* Ripples: "Write a story in your browser" (/contribute/write/).
   The rules and their messages come from story-rules.json, which the build exports
   from the Python check (macros/rules.py): this file only applies them.
   Privacy: nothing is sent anywhere; the only storage is the draft, and only when
   the person ticks "Keep my draft on this device". Text is always set with
   textContent, never as HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  var DRAFT_KEY = "ripples.storyDraft";
  var R = null;                       // the rules, once loaded
  var form = null, domainOrder = [], touched = {}, submitted = false, current = null;

  // ---- rules: pure functions of a values object -----------------------------

  function chars(text) { return Array.from(text).length; }   // code points, as Python's len()
  function fill(template, n) { return slots(template, { n: n }); }
  function slots(template, values) {
    return Object.keys(values).reduce(function (t, k) { return t.replace("{" + k + "}", String(values[k])); }, template);
  }
  function regex(rule) { return new RegExp(rule.source, rule.flags); }

  function slug(text) {
    return text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  // Python's str.strip() also removes U+001C..U+001F and U+0085: strip at least what it strips.
  function trimmed(text) { return String(text || "").replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, ""); }

  function clean(values) {
    var v = values || {}, shift = v.shift || {}, consent = v.consent || {};
    return {
      title: trimmed(v.title), person: trimmed(v.person), chapter: trimmed(v.chapter),
      domains: (v.domains || []).slice(), themes: (v.themes || []).slice(),
      summary: trimmed(v.summary), shift: { from: trimmed(shift.from), to: trimmed(shift.to) },
      reflection: (v.reflection || []).map(trimmed).filter(function (q) { return q !== ""; }),
      content_notes: (v.content_notes || []).slice(),
      consent: R.consent_keys.reduce(function (c, k) { c[k] = consent[k] === true; return c; }, {}),
      body: String(v.body || "").replace(/\r\n?/g, "\n").replace(/^\n+|\n+$/g, "")
    };
  }

  function storyId(values) {
    var v = clean(values), id = slug(v.person + " " + v.title) || "my-story", n = 2, base = id;
    while (R.taken_ids.indexOf(id) >= 0) { id = base + "-" + n; n += 1; }
    return id;
  }

  /* [[field, message], ...] exactly as `python -m macros check` reports them for the
     file storyText() makes (field names as the check prints them). */
  function validate(values) {
    var v = clean(values), out = [], m = R.messages, html = regex(R.html);
    var add = function (field, message) { out.push([field, message]); };
    var text = function (field, value) {
      if (value.indexOf(R.placeholder) >= 0) add(field, m.placeholder);
      else if (R.text_rule) { var why = textProblem(value); if (why) add(field, why); }
      else if (html.test(value)) add(field, m.html);
    };
    ["title", "person", "chapter"].forEach(function (k) { if (!v[k]) add(k, m.empty); });
    if (!v.domains.length) add("domains", m.domains_none);
    if (!v.themes.length) add("themes", m.themes_none);
    if (v.themes.length > R.themes_max) add("themes", fill(m.themes_many, v.themes.length));
    if (!v.summary) add("summary", m.empty);
    if (chars(v.summary) > R.summary_max) add("summary", fill(m.summary_long, chars(v.summary)));
    R.shift_keys.forEach(function (k) { if (!v.shift[k]) add("shift." + k, m.empty); });
    if (v.reflection.length < R.reflection_min || v.reflection.length > R.reflection_max) {
      add("reflection", fill(m.reflection_count, v.reflection.length));
    }
    text("title", v.title); text("person", v.person); text("summary", v.summary);
    R.shift_keys.forEach(function (k) { text("shift." + k, v.shift[k]); });
    v.reflection.forEach(function (q, i) { text("reflection[" + (i + 1) + "]", q); });
    var person = personProblem(v.person);
    if (person) add("person", person);
    bodyProblems(v.body).forEach(function (message) { add("body", message); });
    R.consent_keys.forEach(function (k) { if (!v.consent[k]) add("consent." + k, m["consent." + k]); });
    return out;
  }

  /* macros/textrules.py's text_problem: one rule for every single-line value. */
  function textProblem(text) {
    var t = R.text_rule;
    if (text.indexOf("<") >= 0 || text.indexOf(">") >= 0) return slots(t.angle, { c: text.indexOf("<") >= 0 ? "<" : ">" });
    if (text.trim().indexOf("\n") >= 0) return t.newline;
    var bad = Array.from(text).filter(function (c) {
      return t.invisible_chars.indexOf(c) >= 0 || (/\p{Cc}/u.test(c) && c !== "\n");
    })[0];
    if (bad) return slots(t.invisible, { c: ("000" + bad.codePointAt(0).toString(16).toUpperCase()).slice(-4) });
    var entity = regex(t.entity).exec(text);
    return entity ? slots(t.entity.message, { c: entity[0] }) : null;
  }

  /* validate.person_problems: one given name (only when no other rule already refused the value). */
  function personProblem(person) {
    var p = R.person_rule;
    if (!p || !person || person.indexOf(R.placeholder) >= 0 || (R.text_rule && textProblem(person))) return null;
    if (new RegExp("^(?:" + p.source + ")$", p.flags).test(person)) return null;
    var words = person.split(/\s+/);
    if (words.length > 1) return slots(p.words, { person: person, n: words.length, first: words[0] });
    return slots(p.letters, { person: person });
  }

  function bodyProblems(body) {
    if (!body.trim()) return [R.messages.body_empty];
    var found = [];
    var hidden = bodyHidden(body);
    if (hidden.length) return hidden;  // the check reads no further in such a file
    body.split("\n").forEach(function (line) {
      if (line.indexOf(R.body_placeholder) >= 0) { found.push(R.messages.body_placeholder); return; }
      found.push.apply(found, lineProblems(line));
    });
    return found;
  }

  /* textrules.file_problems on the story text: per line, the first character the text rule
     refuses (a tab is fine), named as the check names it. */
  function bodyHidden(body) {
    var F = R.text_rule && R.text_rule.in_file, out = [];
    if (!F) return out;
    body.split("\n").forEach(function (line) {
      var c = Array.from(line).filter(function (ch) {
        return R.text_rule.invisible_chars.indexOf(ch) >= 0 || (/\p{Cc}/u.test(ch) && ch !== "\t");
      })[0];
      if (c === undefined) return;
      var name = F.names[c] || "U+" + ("000" + c.codePointAt(0).toString(16).toUpperCase()).slice(-4) + " (a control character)";
      out.push(slots(F.line_breaks.indexOf(c) >= 0 ? F.line_break : F.invisible, { c: name }));
    });
    return out;
  }

  /* validate.line_problems: the per-line rules, then (where the check has them) link
     targets, nesting depth and lines posing as the page's own sections. */
  function lineProblems(line) {
    var L = R.line_rules, n = chars(line), found = [];
    if (L && n > L.max_line) return [fill(L.too_long, n.toLocaleString("en-US"))];
    R.body_rules.forEach(function (rule) { if (regex(rule).test(line)) found.push(rule.message); });
    if (!L) return found;
    var badScheme = found.indexOf(L.bad_scheme.message) >= 0, targets = new RegExp(L.target.source, L.target.flags + "g");
    var match;
    while ((match = targets.exec(line)) !== null) {
      var why = linkProblem(match[1]);
      if (why && !(badScheme && why === L.bad_scheme.message)) found.push(why);
      if (!match[0]) targets.lastIndex += 1;
    }
    var depth = regex(L.depth).exec(line), indent = regex(L.list_indent).exec(line);
    if ((depth && depth[0].split(">").length - 1 > L.max_depth) || (indent && indent[1].length >= 2 * L.max_depth)) {
      found.push(L.too_deep);
    }
    var bare = line.replace(new RegExp(L.decor.source, L.decor.flags + "g"), " ").trim().toLowerCase();
    if (L.sections.indexOf(bare) >= 0) found.push(slots(L.section, { line: line.trim() }));
    return found;
  }

  function linkProblem(target) {
    var L = R.line_rules;
    if (new RegExp("^(?:" + L.good_target.source + ")", L.good_target.flags).test(target)) return null;
    if (target.toLowerCase().indexOf("http:") === 0) return L.http;
    if (new RegExp("^(?:" + L.bad_scheme.source + ")", L.bad_scheme.flags).test(target)) return L.bad_scheme.message;
    return slots(L.not_full, { target: Array.from(target).slice(0, 60).join("") });
  }

  // ---- the file ----------------------------------------------------------------

  /* A YAML double-quoted string: JSON's escapes are valid YAML; YAML also treats
     U+0085, U+2028 and U+2029 as line breaks and refuses DEL and C1 controls raw.
     Characters the text rule refuses are escaped too, so the file shows them to a
     reviewer and the check names the field that holds them. */
  function quote(text) {
    var hidden = (R.text_rule && R.text_rule.invisible_chars) || [];
    return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff]|[^\x00-\x7e]/gu, function (c) {
      if (!/[\u007f-\u009f\u2028\u2029\ufeff]/.test(c) && hidden.indexOf(c) < 0) return c;
      var hex = c.codePointAt(0).toString(16);
      return hex.length <= 4 ? "\\u" + ("000" + hex).slice(-4) : "\\U" + ("0000000" + hex).slice(-8);
    });
  }
  function ids(list) { return "[" + list.join(", ") + "]"; }

  function today() {
    var d = new Date(), pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function storyText(values, date) {
    var v = clean(values), lines = ["---"];
    var write = {
      title: function () { lines.push("title: " + quote(v.title)); },
      person: function () { lines.push("person: " + quote(v.person)); },
      chapter: function () { lines.push("chapter: " + (v.chapter || '""')); },
      domains: function () { lines.push("domains: " + ids(v.domains)); },
      themes: function () { lines.push("themes: " + ids(v.themes)); },
      summary: function () { lines.push("summary: " + quote(v.summary)); },
      shift: function () {
        lines.push("shift:");
        R.shift_keys.forEach(function (k) { lines.push("  " + k + ": " + quote(v.shift[k])); });
      },
      reflection: function () {
        if (!v.reflection.length) { lines.push("reflection: []"); return; }
        lines.push("reflection:");
        v.reflection.forEach(function (q) { lines.push("  - " + quote(q)); });
      },
      content_notes: function () { lines.push("content_notes: " + ids(v.content_notes)); },
      consent: function () {
        lines.push("consent:");
        R.consent_keys.forEach(function (k) { lines.push("  " + k + ": " + v.consent[k]); });
      },
      reviewed: function () {
        lines.push(R.reviewed === "today" ? "reviewed: " + (date || today()) : "reviewed:");
      }
    };
    R.keys.forEach(function (k) { if (write[k]) write[k](); });   // reviewer: the editors add it
    lines.push("---", "", v.body, "");
    return lines.join("\n");
  }

  function githubUrl(id, text) {
    var base = "https://github.com/" + R.repository + "/new/" + encodeURIComponent(R.branch) +
      "?filename=stories/" + encodeURIComponent(id) + ".md";
    var full = base + "&value=" + encodeURIComponent(text);
    return full.length <= R.github_url_max ? { url: full, complete: true } : { url: base, complete: false };
  }

  function mailtoUrl(id, text) {
    var base = "mailto:" + R.contact_email + "?subject=" + encodeURIComponent("A story for Ripples: " + id + ".md");
    var full = base + "&body=" + encodeURIComponent(text).replace(/%0A/g, "%0D%0A");
    if (full.length <= R.mailto_url_max) return { url: full, complete: true };
    return { url: base + "&body=" + encodeURIComponent("My story is attached: " + id + ".md"), complete: false };
  }

  // ---- the form ----------------------------------------------------------------

  function el(id) { return document.getElementById(id); }
  function checked(name) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'),
      function (box) { return box.value; });
  }
  function reflectionInputs() { return Array.prototype.slice.call(form.querySelectorAll('input[name="reflection"]')); }

  function readForm() {
    var ticked = checked("domains");
    domainOrder = domainOrder.filter(function (d) { return ticked.indexOf(d) >= 0; });
    ticked.forEach(function (d) { if (domainOrder.indexOf(d) < 0) domainOrder.push(d); });
    return {
      title: el("f-title").value, person: el("f-person").value, chapter: checked("chapter")[0] || "",
      domains: domainOrder.slice(), themes: checked("themes"), summary: el("f-summary").value,
      shift: { from: el("f-shift-from").value, to: el("f-shift-to").value },
      reflection: reflectionInputs().map(function (i) { return i.value; }),
      content_notes: checked("content_notes"), body: el("f-body").value,
      consent: R.consent_keys.reduce(function (c, k) { c[k] = el("f-consent-" + k).checked; return c; }, {})
    };
  }

  function writeForm(values) {
    var set = function (name, list) {
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
        box.checked = list.indexOf(box.value) >= 0;
      });
    };
    el("f-title").value = values.title || ""; el("f-person").value = values.person || "";
    el("f-summary").value = values.summary || ""; el("f-body").value = values.body || "";
    el("f-shift-from").value = (values.shift || {}).from || ""; el("f-shift-to").value = (values.shift || {}).to || "";
    reflectionInputs().forEach(function (input, i) { input.value = (values.reflection || [])[i] || ""; });
    set("chapter", [values.chapter]); set("themes", values.themes || []);
    set("content_notes", values.content_notes || []);
    domainOrder = (values.domains || []).slice(); set("domains", domainOrder);
    R.consent_keys.forEach(function (k) { el("f-consent-" + k).checked = (values.consent || {})[k] === true; });
  }

  /* The element a problem belongs to: reflection[n] counts only the filled-in questions. */
  function slotFor(field) {
    var match = /^reflection\[(\d+)\]$/.exec(field);
    if (match) {
      var filled = reflectionInputs().filter(function (i) { return i.value.trim() !== ""; });
      var input = filled[Number(match[1]) - 1];
      return input ? input.id.replace("f-reflection-", "reflection[") + "]" : "reflection";
    }
    return field;
  }
  function controlFor(slot) {
    var box = form.querySelector('[data-field="' + slot + '"]');
    return box && (box.matches("input, textarea") ? box : box.querySelector("input, textarea"));
  }
  function labelFor(slot) {
    var box = form.querySelector('[data-field="' + slot + '"]');
    var label = box && (box.querySelector("legend") || box.querySelector("label"));
    return label ? label.textContent.trim().replace(/[.:]$/, "") : slot;
  }

  function showErrors(problems, all) {
    var bySlot = {};
    problems.forEach(function (p) {
      var slot = slotFor(p[0]);
      (bySlot[slot] = bySlot[slot] || []).push(p[1]);
    });
    form.querySelectorAll(".write-error").forEach(function (box) {
      var slot = box.getAttribute("data-error-for"), shown = all || touched[slot.replace(/\[\d+\]$/, "")] || touched[slot];
      var list = shown ? bySlot[slot] || [] : [];
      box.textContent = list.length ? "Problem: " + list.join(" Also: ") : "";
      var control = form.querySelector('[data-field="' + slot + '"] > input, [data-field="' + slot + '"] > textarea');
      if (control) {
        if (list.length) control.setAttribute("aria-invalid", "true"); else control.removeAttribute("aria-invalid");
      }
    });
    return bySlot;
  }

  function showSummary(bySlot) {
    var box = el("write-errors"), list = el("write-errors-list"), slots = Object.keys(bySlot);
    list.textContent = "";
    slots.forEach(function (slot) {
      bySlot[slot].forEach(function (message) {
        var item = document.createElement("li"), link = document.createElement("a"), control = controlFor(slot);
        link.href = "#" + (control ? control.id : "write-form");
        link.textContent = labelFor(slot) + ": " + message;
        item.appendChild(link); list.appendChild(item);
      });
    });
    var n = list.children.length;
    el("write-errors-title").textContent = n + (n === 1 ? " thing needs" : " things need") +
      " fixing before the page can make your file:";
    box.hidden = false;
    box.focus();
  }

  function fieldOf(target) {
    var box = target.closest("[data-field]");
    return box ? box.getAttribute("data-field").replace(/\[\d+\]$/, "") : null;
  }

  function refresh() {
    var problems = validate(readForm());
    showErrors(problems, submitted);
    var id = storyId(readForm());
    el("write-id-preview").textContent = "stories/" + id + ".md";
    var main = el("main-domain");
    if (main) {
      var first = R.vocabulary.domains.filter(function (d) { return d.id === domainOrder[0]; })[0];
      main.textContent = first ? "Main relationship: " + first.name + " (the first one you ticked)." : "";
    }
    return problems;
  }

  // ---- the result: preview (as text only), file, buttons ---------------------------

  function add(parent, tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    parent.appendChild(node);
    return node;
  }
  function names(field, list) {
    return list.map(function (id) {
      var e = R.vocabulary[field].filter(function (x) { return x.id === id; })[0];
      return e ? e.name : id;
    }).join(", ");
  }

  function preview(values) {
    var v = clean(values), box = el("write-preview");
    box.textContent = "";
    add(box, "p", "Chapter: " + names("chapter", [v.chapter]), "write-preview-kind");
    add(box, "p", v.title, "write-preview-title");
    add(box, "p", "Told by " + v.person + ". Relationships: " + names("domains", v.domains) + ". Themes: " +
      names("themes", v.themes) + "." + (v.content_notes.length ? " Content notes: " + names("content_notes", v.content_notes) + "." : ""));
    var editorial = add(box, "div", undefined, "editorial");
    add(editorial, "p", "Editorial", "editorial-label");
    add(editorial, "p", v.summary);
    add(box, "p", "The shift", "write-preview-heading");
    add(box, "p", "From: " + v.shift.from + " To: " + v.shift.to);
    add(box, "p", "Their story", "write-preview-heading");
    v.body.split(/\n\s*\n/).forEach(function (para) { add(box, "p", para, "write-preview-body"); });
    add(box, "p", "Questions for reflection", "write-preview-heading");
    var list = add(box, "ol");
    v.reflection.forEach(function (q) { add(list, "li", q); });
  }

  function status(text) {
    var live = el("write-status");
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 50);
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return Promise.reject(new Error("no clipboard"));
  }

  function download() {
    var blob = new Blob([current.text], { type: "text/markdown;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = current.id + ".md";
    document.body.appendChild(link); link.click(); document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    status("Downloaded " + current.id + ".md. Look in your Downloads folder.");
  }

  function showResult(values) {
    var id = storyId(values), text = storyText(values), gh = githubUrl(id, text), mail = mailtoUrl(id, text);
    current = { id: id, text: text, github: gh, mail: mail };
    el("write-filename").textContent = "stories/" + id + ".md";
    el("write-file").textContent = text;
    preview(values);
    el("write-github").href = gh.url;
    el("write-mail").href = mail.url;
    var notes = [];
    if (!gh.complete) {
      notes.push("Your story is too long to fit in a web address for GitHub. When you press Propose on GitHub, " +
        "the page copies your story and GitHub's editor opens with only the file name: paste the story there.");
    }
    if (!mail.complete) {
      notes.push("Your story is too long for an e-mail link. When you press Send privately, the page first " +
        "downloads the file: attach it to the e-mail that opens.");
    }
    var note = el("write-long-note");
    note.textContent = notes.join(" ");
    note.hidden = !notes.length;
    var section = el("write-result");
    section.hidden = false;
    section.focus();
  }

  // ---- the draft: only when asked ------------------------------------------------

  function storage() { try { return window.localStorage; } catch (e) { return null; } }
  function draftStatus(text) { el("write-draft-status").textContent = text; }
  function saveDraft() {
    var store = storage();
    if (!store || !el("write-keep").checked) return;
    try { store.setItem(DRAFT_KEY, JSON.stringify(readForm())); } catch (e) { draftStatus("This browser could not keep the draft."); }
    el("write-delete").hidden = false;
  }
  function deleteDraft(message) {
    var store = storage();
    if (store) store.removeItem(DRAFT_KEY);
    el("write-keep").checked = false;
    el("write-delete").hidden = true;
    draftStatus(message);
  }
  function restoreDraft() {
    var store = storage(), saved = store && store.getItem(DRAFT_KEY);
    if (!saved) return;
    try { writeForm(JSON.parse(saved)); } catch (e) { return; }
    el("write-keep").checked = true;
    el("write-delete").hidden = false;
    draftStatus("Your draft from this device is back in the form.");
  }

  // ---- wiring ------------------------------------------------------------------

  function start(rules) {
    R = rules;
    form = el("write-form");
    restoreDraft();
    el("write-noscript").hidden = true;
    form.hidden = false;
    refresh();
    form.addEventListener("focusout", function (event) {
      var field = fieldOf(event.target);
      if (field && !(event.relatedTarget && fieldOf(event.relatedTarget) === field)) { touched[field] = true; refresh(); }
    });
    form.addEventListener("input", function (event) {
      if (event.target.id === "write-keep") return;
      var field = fieldOf(event.target);
      if (field && event.target.type !== "text" && event.target.tagName !== "TEXTAREA") touched[field] = true;
      el("write-result").hidden = true;                   // never leave a stale file on show
      refresh(); saveDraft();
    });
    el("write-keep").addEventListener("change", function () {
      if (el("write-keep").checked) { saveDraft(); draftStatus("Your draft is now kept on this device only."); }
      else deleteDraft("Your draft is no longer kept, and the saved copy was deleted from this device.");
    });
    el("write-delete").addEventListener("click", function () {
      deleteDraft("Your draft was deleted from this device. The form still shows it until you leave the page.");
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitted = true;
      var values = readForm(), bySlot = showErrors(validate(values), true);
      if (Object.keys(bySlot).length) { el("write-result").hidden = true; showSummary(bySlot); return; }
      el("write-errors").hidden = true;
      showResult(values);
    });
    el("write-copy").addEventListener("click", function () {
      copy(current.text).then(function () { status("Copied. You can paste the file anywhere."); },
        function () { status("Could not copy. Select the file text above and copy it yourself."); });
    });
    el("write-download").addEventListener("click", download);
    el("write-github").addEventListener("click", function () {
      if (!current.github.complete) {
        copy(current.text).then(function () { status("Your story is copied: paste it into GitHub's editor."); },
          function () { status("Could not copy. Copy the file text above, then paste it into GitHub's editor."); });
      }
    });
    el("write-mail").addEventListener("click", function () { if (!current.mail.complete) download(); });
  }

  var api = { validate: validate, storyText: storyText, storyId: storyId, githubUrl: githubUrl, mailtoUrl: mailtoUrl };
  window.RipplesWrite = api;
  if (!document.getElementById("write-form") || !script) return;
  api.ready = fetch(new URL("story-rules.json", script.src).href, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(start);
})();
