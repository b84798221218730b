/* Ripples: "Write a story in your browser" (/contribute/write/).
   The rules and their messages come from story-rules.json, which the build exports
   from the Python check (macros/render/rules.py): this file only applies them, with Python's
   own character classes (tests/test_write_differential.py compares both on 10,000 inputs).
   Privacy: nothing is sent anywhere until a button is pressed. The whole form is kept
   in this tab's session storage (gone when the tab closes); in local storage only when
   the person ticks "Also keep my draft". Text is always set with textContent, never as HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  var DRAFT_KEY = "ripples.storyDraft", TAB_KEY = "ripples.storyDraft.tab";
  var PAUSE = 250;                    // ms after the last keystroke before the form is checked
  var R = null, W = null;             // the rules, and the patterns built from them
  var form = null, domainOrder = [], touched = {}, submitted = false, current = null, timer = null;

  // ---- rules: pure functions of a values object -----------------------------

  function chars(text) { return Array.from(text).length; }   // code points, as Python's len()
  function fill(template, n) { return slots(template, { n: n }); }
  function slots(template, values) {
    // A function, so that a $ in the value is not read as a replacement pattern ($&, $1 ...).
    return Object.keys(values).reduce(function (t, k) {
      return t.replace("{" + k + "}", function () { return String(values[k]); });
    }, template);
  }
  function regex(rule, extra) { return new RegExp(rule.source, rule.flags + (extra || "")); }
  function whole(rule) { return new RegExp("^(?:" + rule.source + ")$", rule.flags); }
  function start(rule) { return new RegExp("^(?:" + rule.source + ")", rule.flags); }

  /* The characters a class matches, as a set (all white space, U+FEFF included, lies in the BMP). */
  function members(pattern) {
    var set = new Set();
    for (var n = 0; n <= 0xFFFF; n += 1) { var c = String.fromCharCode(n); if (pattern.test(c)) set.add(c); }
    return set;
  }

  function compile(rules) {
    var ws = "[" + rules.whitespace + "]", L = rules.line_rules || {};
    return {
      space: members(new RegExp("^" + ws + "$", "u")),            // Python's str.strip()
      anySpace: members(new RegExp("^(?:\\s|" + ws + ")$", "u")),  // both languages' white space
      split: new RegExp(ws + "+", "u"),                          // Python's str.split()
      html: regex(rules.html),
      body: rules.body_rules.map(function (rule) { return { re: regex(rule), message: rule.message }; }),
      underline: L.underline && whole(L.underline),
      person: rules.person_rule && whole(rules.person_rule),
      hiddenValue: rules.text_rule && rules.text_rule.hidden_value && regex(rules.text_rule.hidden_value, "g"),
      hiddenFile: rules.text_rule && rules.text_rule.hidden_file && regex(rules.text_rule.hidden_file, "g"),
      entity: rules.text_rule && regex(rules.text_rule.entity),
      target: L.target && regex(L.target, "g"), good: L.good_target && start(L.good_target),
      scheme: L.bad_scheme && start(L.bad_scheme), depth: L.depth && regex(L.depth),
      indent: L.list_indent && regex(L.list_indent), decor: L.decor && regex(L.decor, "g"),
      looks: L.lookalike && lookalikeTables(L.lookalike)
    };
  }

  /* validate.lookalike_char as lookup tables: {look: the characters that look so} turned round,
     and the front-coded character names ("char shared|rest|", rules.py's _front_coded). */
  function lookalikeTables(rule) {
    var turn = function (byLook) {
      var table = {};
      Object.keys(byLook).forEach(function (look) { Array.from(byLook[look]).forEach(function (c) { table[c] = look; }); });
      return table;
    };
    // One class of every character a table changes: a native replace then skips the rest.
    var changes = function (table) {
      return new RegExp("[" + Object.keys(table).map(function (c) {
        return "\\u{" + c.codePointAt(0).toString(16) + "}";
      }).join("") + "]", "gu");
    };
    var asWritten = turn(rule.looks), folded = Object.assign({}, asWritten, turn(rule.folded));
    var names = {}, parts = rule.names.split("|"), previous = "";
    for (var i = 0; i + 1 < parts.length; i += 2) {
      var head = Array.from(parts[i]);
      previous = previous.slice(0, Number(head.slice(1).join(""))) + parts[i + 1];
      names[head[0]] = previous;
    }
    return { tables: [asWritten, folded], changes: [changes(asWritten), changes(folded)], names: names,
      vanish: new RegExp("[" + rule.vanish + "]", "gu") };
  }

  /* Stripping by hand: a regex's `\s+$` retries from every space of a long run (quadratic). */
  function stripWith(set, text) {
    var a = 0, b = text.length;
    while (a < b && set.has(text[a])) a += 1;
    while (b > a && set.has(text[b - 1])) b -= 1;
    return a === 0 && b === text.length ? text : text.slice(a, b);
  }
  function pyStrip(text) { return stripWith(W.space, text); }
  var NEWLINES = new Set(["\r", "\n"]);
  // Lone surrogates cannot be saved as UTF-8: the file would hold U+FFFD, so the form does too.
  function wellFormed(text) {
    return String(text || "").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
  }
  function single(text) { return stripWith(W.anySpace, wellFormed(text)); }

  function slug(text) {
    return text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  /* A word processor separates paragraphs with one line break; the page needs a blank line.
     Lines of lists, quotes and indented text keep their single breaks. */
  var STRUCTURE = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|^[ \t]*>|^(?: {4}|\t)/;
  function paragraphs(body) {
    var lines = body.split("\n"), out = [];
    var plain = function (line) { return line !== undefined && pyStrip(line) !== "" && !STRUCTURE.test(line); };
    lines.forEach(function (line, i) {
      out.push(line);
      if (plain(line) && plain(lines[i + 1])) out.push("");
    });
    return out.join("\n");
  }

  function clean(values) {
    var v = values || {}, shift = v.shift || {}, consent = v.consent || {};
    var body = wellFormed(v.body).replace(/\r\n?/g, "\n");
    return {
      title: single(v.title), person: single(v.person), chapter: single(v.chapter),
      domains: (v.domains || []).slice(), themes: (v.themes || []).slice(),
      summary: single(v.summary), shift: { from: single(shift.from), to: single(shift.to) },
      reflection: (v.reflection || []).map(single).filter(function (q) { return q !== ""; }),
      content_notes: (v.content_notes || []).slice(),
      consent: R.consent_keys.reduce(function (c, k) { c[k] = consent[k] === true; return c; }, {}),
      body: paragraphs(body).replace(/^\n+|\n+$/g, "")
    };
  }

  function storyId(values) {
    var v = values || {}, id = slug(single(v.person) + " " + single(v.title)) || "my-story", n = 2, base = id;
    while (R.taken_ids.indexOf(id) >= 0) { id = base + "-" + n; n += 1; }
    return id;
  }

  function utf8Length(text) { return new TextEncoder().encode(text).length; }
  function wordCount(text) {          // as Python's len(text.split()), in one pass without an array
    var count = 0, inWord = false;
    for (var i = 0; i < text.length; i += 1) {
      var space = W.space.has(text[i]);
      if (!space && !inWord) count += 1;
      inWord = !space;
    }
    return count;
  }

  /* [[field, message], ...] exactly as `python -m macros check` reports them for the
     file storyText() makes (field names as the check prints them). */
  function validate(values) {
    var raw = String((values || {}).body || ""), inner = stripWith(NEWLINES, raw);
    // UTF-8 takes no fewer bytes than UTF-16 code units, and turning \r\n into \n at most halves
    // them: a body this long is refused without more work (a 1 MB paste stays responsive).
    var v = inner.length > 2 * R.max_bytes ? null : clean(values);
    if (!v || utf8Length(fileText(v, "2026-01-01")) > R.max_bytes) {
      return [["file", fill(R.too_big, wordCount(raw).toLocaleString("en-US"))]];
    }
    // A refused invisible character in a line of the file: the check reads no further.
    var hiddenLines = bodyHidden(v.body);
    if (hiddenLines.length) return hiddenLines.map(function (message) { return ["body", message]; });
    var out = [], m = R.messages;
    var add = function (field, message) { out.push([field, message]); };
    var text = function (field, value) {
      if (value.indexOf(R.placeholder) >= 0) add(field, m.placeholder);
      else if (R.text_rule) { var why = textProblem(value); if (why) add(field, why); }
      else if (W.html.test(value)) add(field, m.html);
    };
    ["title", "person", "chapter"].forEach(function (k) { if (!v[k]) add(k, m.empty); });
    if (!v.domains.length) add("domains", m.domains_none);
    if (v.themes.length > R.themes_max) add("themes", fill(m.themes_many, v.themes.length));
    if (chars(v.summary) > R.summary_max) add("summary", fill(m.summary_long, chars(v.summary)));
    if (v.shift.from || v.shift.to) {      // both, or neither (then the editors write them)
      R.shift_keys.forEach(function (k) { if (!v.shift[k]) add("shift." + k, m.empty); });
    }
    if (v.reflection.length && (v.reflection.length < R.reflection_min || v.reflection.length > R.reflection_max)) {
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

  function hex(char) {                // as Python's :04X (five or six digits beyond the BMP)
    var code = char.codePointAt(0).toString(16).toUpperCase();
    return code.length < 4 ? ("000" + code).slice(-4) : code;
  }

  /* macros/read/textrules.py's text_problem: one rule for every single-line value. */
  function textProblem(text) {
    var t = R.text_rule;
    if (text.indexOf("<") >= 0 || text.indexOf(">") >= 0) return slots(t.angle, { c: text.indexOf("<") >= 0 ? "<" : ">" });
    if (pyStrip(text).indexOf("\n") >= 0) return t.newline;
    var bad = W.hiddenValue ? hiddenIn(text, W.hiddenValue) : Array.from(text).filter(function (c) {
      return t.invisible_chars.indexOf(c) >= 0 || (/\p{Cc}/u.test(c) && c !== "\n");
    })[0];
    if (bad) return slots(t.invisible, { c: hex(bad) });
    var entity = W.entity.exec(text);
    return entity ? slots(t.entity.message, { c: entity[0] }) : null;
  }

  /* validate.person_problems: one given name (only when no other rule already refused the value). */
  function personProblem(person) {
    var p = R.person_rule;
    if (!p || !person || person.indexOf(R.placeholder) >= 0 || (R.text_rule && textProblem(person))) return null;
    if (W.person.test(person)) return null;
    var words = pyStrip(person).split(W.split).filter(Boolean);
    if (words.length > 1) return slots(p.words, { person: person, n: words.length, first: words[0] });
    return slots(p.letters, { person: person });
  }

  /* textrules.hidden: the first refused character the check's own pattern finds (group 1,
     an emoji flag, is allowed), or undefined. */
  function hiddenIn(text, pattern) {
    var match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text)) !== null) {
      if (match[1] === undefined) return match[0];
      if (!match[0]) pattern.lastIndex += 1;
    }
    return undefined;
  }

  /* textrules.file_problems on the story text: per line, the first character the text rule
     refuses (a tab is fine), named as the check names it. */
  function bodyHidden(body) {
    var F = R.text_rule && R.text_rule.in_file, out = [];
    if (!F) return out;
    body.split("\n").forEach(function (line) {
      var c = W.hiddenFile ? hiddenIn(line, W.hiddenFile) : Array.from(line).filter(function (ch) {
        return R.text_rule.invisible_chars.indexOf(ch) >= 0 || (/\p{Cc}/u.test(ch) && ch !== "\t");
      })[0];
      if (c === undefined) return;
      var name = F.names[c] || "U+" + hex(c) + " (a control character)";
      out.push(slots(F.line_breaks.indexOf(c) >= 0 ? F.line_break : F.invisible, { c: name }));
    });
    return out;
  }

  /* validate.body_problems, line by line. */
  function bodyProblems(body) {
    if (!pyStrip(body)) return [R.messages.body_empty];
    var found = [], previous = "", L = R.line_rules;
    body.split("\n").forEach(function (line) {
      if (!pyStrip(line)) { previous = line; return; }
      if (line.indexOf(R.body_placeholder) >= 0) { found.push(R.messages.body_placeholder); return; }
      found.push.apply(found, lineProblems(line));
      if (W.underline && pyStrip(previous) && W.underline.test(line)) found.push(L.underline.message);
      previous = line;
    });
    return found;
  }

  /* validate.lookalike_keys: each character as it looks alone (a character the table leaves
     out looks like itself), decoration and spaces as one space; the text as written, and case
     folded first. */
  function lookalikeKeys(line) {
    var T = W.looks, text = line.replace(T.vanish, "");
    return T.tables.map(function (table, n) {
      return pyStrip(text.replace(T.changes[n], function (c) { return table[c]; }).replace(W.decor, " "));
    });
  }

  /* validate._posing_problems: a line that is a section name in look-alike letters, or that
     claims to come from the editors. */
  function posingProblems(line) {
    var P = R.line_rules.lookalike, keys = pyStrip(line) ? lookalikeKeys(line) : [], name;
    if (chars(line) <= P.line_max) {
      keys.some(function (k) {
        var bare = k.split(" ").join("");
        name = Object.prototype.hasOwnProperty.call(P.section_keys, bare) ? P.section_keys[bare] : undefined;
        return name !== undefined;
      });
    }
    if (name !== undefined) {
      var shown = pyStrip(line), odd = Array.from(new Set(Array.from(shown))).filter(function (c) {
        return c > "\x7f" && name.indexOf(c) < 0;
      });
      if (!odd.length) return [slots(P.look_like, { line: shown, name: name })];
      var named = odd.map(function (c) { return slots(P.char_name, { code: hex(c), name: W.looks.names[c] || P.unnamed }); });
      return [slots(P.look_alike, { line: shown, name: name, chars: named.join(", ") })];
    }
    var claim = P.claims.filter(function (c) {
      return keys.some(function (k) { return (" " + k + " ").indexOf(c[1]) >= 0; });
    })[0];
    return claim ? [slots(P.claim, { claim: claim[0] })] : [];
  }

  /* validate.line_problems: the per-line rules, then (where the check has them) link
     targets, nesting depth and lines posing as the page's own sections. */
  function lineProblems(line) {
    var L = R.line_rules, n = chars(line), found = [];
    if (L && n > L.max_line) return [fill(L.too_long, n.toLocaleString("en-US"))];
    W.body.forEach(function (rule) { if (rule.re.test(line)) found.push(rule.message); });
    if (!L) return found;
    var badScheme = found.indexOf(L.bad_scheme.message) >= 0, match;
    W.target.lastIndex = 0;
    while ((match = W.target.exec(line)) !== null) {
      var why = linkProblem(match[1]);
      if (why && !(badScheme && why === L.bad_scheme.message)) found.push(why);
      if (!match[0]) W.target.lastIndex += 1;
    }
    var depth = W.depth.exec(line), indent = W.indent.exec(line);
    if ((depth && depth[0].split(">").length - 1 > L.max_depth) || (indent && indent[1].length >= 2 * L.max_depth)) {
      found.push(L.too_deep);
    }
    var ascii = /^[\x00-\x7f]*$/.test(line), bare = ascii && pyStrip(line.replace(W.decor, " ")).toLowerCase();
    if (ascii && L.sections.indexOf(bare) >= 0) found.push(slots(L.section, { line: pyStrip(line) }));
    else if (L.lookalike) found.push.apply(found, posingProblems(line));
    return found;
  }

  function linkProblem(target) {
    var L = R.line_rules;
    if (W.good.test(target)) return null;
    if (target.toLowerCase().indexOf("http:") === 0) return L.http;
    if (W.scheme.test(target)) return L.bad_scheme.message;
    return slots(L.not_full, { target: Array.from(target).slice(0, 60).join("") });
  }

  /* The check's words for a file, said about the form. */
  function say(field, message) {
    var own = (R.form_words_for || {})[field] || {};
    return own[message] || (R.form_words || {})[message] || message;
  }

  // ---- the file ----------------------------------------------------------------

  /* A YAML double-quoted string: JSON's escapes are valid YAML; YAML also treats
     U+0085, U+2028 and U+2029 as line breaks and refuses DEL, C1 controls and U+FFFE/FFFF raw. */
  function quote(text) {
    var hidden = (R.text_rule && R.text_rule.invisible_chars) || [];
    return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[^\x00-\x7e]/gu, function (c) {
      if (!/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/.test(c) && hidden.indexOf(c) < 0) return c;
      var code = c.codePointAt(0).toString(16);
      return code.length <= 4 ? "\\u" + ("000" + code).slice(-4) : "\\U" + ("0000000" + code).slice(-8);
    });
  }
  function ids(list) { return "[" + list.join(", ") + "]"; }

  function today() {
    var d = new Date(), pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function storyText(values, date) { return fileText(clean(values), date); }

  /* Fields left empty are written empty: the editors see where their part goes. */
  function fileText(v, date) {
    var lines = ["---"], optional = function (key, text) { lines.push(key + ":" + (text ? " " + quote(text) : "")); };
    var write = {
      title: function () { lines.push("title: " + quote(v.title)); },
      person: function () { lines.push("person: " + quote(v.person)); },
      chapter: function () { lines.push("chapter: " + (v.chapter || '""')); },
      domains: function () { lines.push("domains: " + ids(v.domains)); },
      themes: function () { lines.push("themes: " + ids(v.themes)); },
      summary: function () { optional("summary", v.summary); },
      shift: function () {
        lines.push("shift:");
        if (!v.shift.from && !v.shift.to) return;
        R.shift_keys.forEach(function (k) { lines.push("  " + k + ": " + quote(v.shift[k])); });
      },
      reflection: function () {
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

  function mailBody(text) { return encodeURIComponent(text).replace(/%0A/g, "%0D%0A"); }

  /* The whole file in the mail when it fits; otherwise a mail that asks for it to be pasted
     (the page copies it first). Never a mail that says a file is attached. */
  function mailtoUrl(id, text) {
    var base = "mailto:" + R.contact_email + "?subject=" + encodeURIComponent("A story for Ripples: " + id + ".md");
    var full = base + "&body=" + mailBody(text);
    if (full.length <= R.mailto_url_max) return { url: full, complete: true };
    return { url: base + "&body=" + mailBody("Hello Ripples editors,\n\nHere is my story. " +
      "(Paste it below this line: the page copied it for you. On a phone, touch and hold, then choose Paste.)\n\n"),
    complete: false };
  }

  // ---- the form ----------------------------------------------------------------

  function el(id) { return document.getElementById(id); }
  function checked(name) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'),
      function (box) { return box.value; });
  }
  function reflectionInputs() { return Array.prototype.slice.call(form.querySelectorAll('input[name="reflection"]')); }

  /* The first relationship ticked is the main one: follow each tick as it happens. */
  function trackDomains() {
    var ticked = checked("domains");
    domainOrder = domainOrder.filter(function (d) { return ticked.indexOf(d) >= 0; });
    ticked.forEach(function (d) { if (domainOrder.indexOf(d) < 0) domainOrder.push(d); });
  }

  function readForm() {
    trackDomains();
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

  /* The element a problem belongs to: reflection[n] counts only the filled-in questions;
     a file too big to send is the story's problem. */
  function slotFor(field) {
    if (field === "file") return "body";
    var match = /^reflection\[(\d+)\]$/.exec(field);
    if (match) {
      var filled = reflectionInputs().filter(function (i) { return i.value.trim() !== ""; });
      var input = filled[Number(match[1]) - 1];
      return input ? input.id.replace("f-reflection-", "reflection[") + "]" : "reflection";
    }
    return field;
  }
  function boxFor(slot) { return form.querySelector('[data-field="' + slot + '"]'); }
  function controlFor(slot) {
    var box = boxFor(slot);
    return box && (box.matches("input, textarea") ? box : box.querySelector("input, textarea"));
  }
  function labelFor(slot) {
    var box = boxFor(slot);
    var label = box && (box.querySelector("legend") || box.querySelector("label"));
    return label ? label.textContent.trim().replace(/[.:]$/, "") : slot;
  }

  function showErrors(problems, all) {
    var bySlot = {};
    problems.forEach(function (p) {
      var slot = slotFor(p[0]);
      (bySlot[slot] = bySlot[slot] || []).push(say(p[0], p[1]));
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

  /* Jump to a field with its label in view (not under the sticky header), then focus it. */
  function jumpTo(slot) {
    var box = boxFor(slot), control = controlFor(slot);
    if (box) box.scrollIntoView({ block: "start" });
    if (control) control.focus({ preventScroll: true });
  }

  function inFormOrder(a, b) {
    var x = boxFor(a), y = boxFor(b);
    if (!x || !y) return x ? -1 : y ? 1 : 0;
    return x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }

  function showSummary(bySlot) {
    var box = el("write-errors"), list = el("write-errors-list"), slots = Object.keys(bySlot).sort(inFormOrder);
    list.textContent = "";
    slots.forEach(function (slot) {
      bySlot[slot].forEach(function (message) {
        var item = document.createElement("li"), link = document.createElement("a"), control = controlFor(slot);
        link.href = "#" + (control ? control.id : "write-form");
        link.textContent = labelFor(slot) + ": " + message;
        link.addEventListener("click", function (event) { event.preventDefault(); jumpTo(slot); });
        item.appendChild(link); list.appendChild(item);
      });
    });
    var n = list.children.length;
    el("write-errors-title").textContent = n + (n === 1 ? " thing needs" : " things need") +
      " fixing before the page can make your file:";
    box.hidden = false;
    box.scrollIntoView({ block: "start" });
    box.focus({ preventScroll: true });
  }

  function fieldOf(target) {
    var box = target.closest("[data-field]");
    return box ? box.getAttribute("data-field").replace(/\[\d+\]$/, "") : null;
  }

  function refresh() {
    clearTimeout(timer); timer = null;
    var values = readForm(), problems = validate(values);
    showErrors(problems, submitted);
    el("write-id-preview").textContent = "stories/" + storyId(values) + ".md";
    var main = el("main-domain");
    if (main) {
      var first = R.vocabulary.domains.filter(function (d) { return d.id === domainOrder[0]; })[0];
      main.textContent = first ? "Main relationship: " + first.name + " (the first one you ticked)." : "";
    }
    return problems;
  }
  function refreshSoon() { clearTimeout(timer); timer = setTimeout(refresh, PAUSE); }

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

  var LATER = "The editors will write this part.";
  function preview(values) {
    var v = clean(values), box = el("write-preview");
    box.textContent = "";
    add(box, "p", "Chapter: " + names("chapter", [v.chapter]), "write-preview-kind");
    add(box, "p", v.title, "write-preview-title");
    add(box, "p", "Told by " + v.person + ". Relationships: " + names("domains", v.domains) + "." +
      (v.themes.length ? " Themes: " + names("themes", v.themes) + "." : "") +
      (v.content_notes.length ? " Content notes: " + names("content_notes", v.content_notes) + "." : ""));
    var editorial = add(box, "div", undefined, "editorial");
    add(editorial, "p", "Editorial", "editorial-label");
    add(editorial, "p", v.summary || LATER);
    add(box, "p", "Their story", "write-preview-heading");
    v.body.split(/\n[ \t]*\n/).forEach(function (para) { if (para.trim()) add(box, "p", para, "write-preview-body"); });
    add(box, "p", "The shift", "write-preview-heading");
    add(box, "p", v.shift.from ? "From: " + v.shift.from + " To: " + v.shift.to : LATER);
    add(box, "p", "Questions for reflection", "write-preview-heading");
    if (!v.reflection.length) add(box, "p", LATER);
    else { var list = add(box, "ol"); v.reflection.forEach(function (q) { add(list, "li", q); }); }
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

  /* Web Share API Level 2: the file itself, to the person's own mail or messaging app. */
  function shareFile() {
    if (typeof File !== "function" || !navigator.canShare || !navigator.share) return null;
    var file = new File([current.text], current.id + ".md", { type: "text/plain" });
    var data = { files: [file], title: "A story for Ripples", text: "My story for Ripples. Please send it to " +
      R.contact_email + "." };
    try { return navigator.canShare({ files: [file] }) ? data : null; } catch (e) { return null; }
  }

  function sendPrivately(event) {
    var data = shareFile();
    if (data) {
      event.preventDefault();
      navigator.share(data).then(function () {
        status("Shared. If you chose your e-mail app, send it to " + R.contact_email + ".");
      }, function (err) {
        if (err && err.name === "AbortError") return;
        status("Could not share. Press Copy, then paste your story into an e-mail to " + R.contact_email + ".");
      });
      return;
    }
    if (current.mail.complete) return;                    // the whole story is in the mail link
    event.preventDefault();
    var url = current.mail.url;
    copy(current.text).then(function () {
      status("Your story is copied. Paste it into the e-mail that opens.");
      api.openMail(url);
    }, function () {
      status("Could not copy. Press Copy or select the file text below, then paste it into an e-mail to " +
        R.contact_email + ".");
    });
  }

  function sendNote() {
    if (shareFile()) {
      return "Send privately opens your phone's share menu with your story file. Choose your e-mail app and " +
        "send it to " + R.contact_email + ".";
    }
    if (current.mail.complete) return "Send privately opens an e-mail to the editors with your story in it.";
    return "Send privately copies your story and opens an e-mail to the editors. Paste your story into it, " +
      "then send it.";
  }

  function showResult(values) {
    var id = storyId(values), text = storyText(values), gh = githubUrl(id, text), mail = mailtoUrl(id, text);
    current = { id: id, text: text, github: gh, mail: mail };
    el("write-filename").textContent = "stories/" + id + ".md";
    el("write-file").textContent = text;
    preview(values);
    el("write-github").href = gh.url;
    el("write-mail").href = mail.url;
    el("write-send-note").textContent = sendNote();
    var note = el("write-long-note");
    note.textContent = gh.complete ? "" : "Your story is too long to fit in a web address for GitHub. When you " +
      "press Propose on GitHub, the page copies your story and GitHub's editor opens with only the file name: " +
      "paste the story there.";
    note.hidden = gh.complete;
    var section = el("write-result");
    section.hidden = false;
    section.focus();
  }

  // ---- the draft: this tab always, this device only when asked -------------------------

  function store(kind) { try { return window[kind]; } catch (e) { return null; } }
  function draftStatus(text) { el("write-draft-status").textContent = text; }
  var emptyValues = null;
  function blankForm(values) {        // the body first: never serialise a long story to find out
    return values.body === "" && JSON.stringify(values) === JSON.stringify(emptyValues);
  }

  /* A draft is the form's values as JSON under its key, the story itself left out, and the
     story in pieces under key.0, key.1, ... A keystroke changes one piece, so saving
     rewrites one piece: keeping a megabyte in storage on every pause took over 100 ms. */
  var PIECE = 32768, written = {};   // written[key]: the pieces this page last stored there
  function putDraft(s, key, values) {
    var body = values.body, pieces = [], old = written[key] || [];
    for (var i = 0, end; i < body.length; i = end) {   // never between the two halves of a surrogate pair
      end = Math.min(i + PIECE, body.length);
      if (end < body.length && /[\uD800-\uDBFF]/.test(body[end - 1])) end -= 1;
      pieces.push(body.slice(i, end));
    }
    try {
      pieces.forEach(function (piece, i) { if (old[i] !== piece) s.setItem(key + "." + i, piece); });
      for (var j = pieces.length; j < Math.max(old.length, Number(s.getItem(key + ".n")) || 0); j += 1) {
        s.removeItem(key + "." + j);
      }
      s.setItem(key + ".n", String(pieces.length));
      s.setItem(key, JSON.stringify(Object.assign({}, values, { body: "" })));
      written[key] = pieces;
    } catch (e) {                        // storage full: no half-new draft is left behind
      dropDraft(s, key);
      throw e;
    }
  }
  // Another tab keeping its own draft on this device rewrote the pieces: write them all next time.
  window.addEventListener("storage", function (event) {
    if (event.key === null || event.key.indexOf(DRAFT_KEY) === 0) written[DRAFT_KEY] = null;
  });
  function getDraft(s, key) {
    var text = s && s.getItem(key), count = s && s.getItem(key + ".n"), n = Number(count);
    if (!text) return null;
    try { var values = JSON.parse(text); } catch (e) { return null; }
    if (count === null) {                        // kept before drafts came in pieces: the story is in the JSON
      written[key] = null;
      return values;
    }
    var pieces = [];
    for (var i = 0; i < n; i += 1) {
      var piece = s.getItem(key + "." + i);
      if (piece === null) return null;           // a draft cut short is no draft
      pieces.push(piece);
    }
    values.body = pieces.join("");
    written[key] = pieces;
    return values;
  }
  function dropDraft(s, key) {
    if (!s) return;
    var n = Number(s.getItem(key + ".n")) || 0;
    for (var i = 0; i < n; i += 1) s.removeItem(key + "." + i);
    [key, key + ".n"].forEach(function (k) { s.removeItem(k); });
    written[key] = [];
  }

  function saveDraft() {
    var values = readForm(), tab = store("sessionStorage"), device = store("localStorage");
    var empty = blankForm(values);
    try {
      if (tab) { if (empty) dropDraft(tab, TAB_KEY); else putDraft(tab, TAB_KEY, values); }
      if (device && el("write-keep").checked) putDraft(device, DRAFT_KEY, values);
    } catch (e) { draftStatus("This browser could not keep the draft."); }
    el("write-delete").hidden = empty && !(device && device.getItem(DRAFT_KEY));
  }
  function deleteDraft(message) {
    dropDraft(store("sessionStorage"), TAB_KEY);
    dropDraft(store("localStorage"), DRAFT_KEY);
    el("write-keep").checked = false;
    writeForm(emptyValues);
    touched = {}; submitted = false;
    el("write-errors").hidden = true; el("write-result").hidden = true;
    el("write-delete").hidden = true;
    refresh();
    draftStatus(message);
  }
  function restoreDraft() {
    var tab = store("sessionStorage"), device = store("localStorage");
    var kept = getDraft(device, DRAFT_KEY), here = getDraft(tab, TAB_KEY), saved = here || kept;
    el("write-keep").checked = !!kept;
    if (!saved) return;
    writeForm(saved);
    el("write-delete").hidden = false;
    draftStatus(here ? "What you typed in this tab is back in the form." : "Your draft from this device is back in the form.");
  }

  // ---- wiring ------------------------------------------------------------------

  /* Enter in a one-line field (a phone's "Next"/"Go") moves on; it never submits the form. */
  function nextOnEnter(event) {
    var target = event.target;
    if (event.key !== "Enter" || target.tagName !== "INPUT" || (target.type !== "text" && target.type !== "checkbox" &&
        target.type !== "radio")) return;
    event.preventDefault();
    if (target.type !== "text") return;
    var fields = Array.prototype.slice.call(form.querySelectorAll('input[type="text"], textarea'));
    var next = fields[fields.indexOf(target) + 1];
    if (next) next.focus();
  }

  function begin(rules) {
    R = rules; W = compile(rules);
    form = el("write-form");
    emptyValues = readForm();
    restoreDraft();
    el("write-noscript").hidden = true;
    form.hidden = false;
    refresh();
    form.addEventListener("keydown", nextOnEnter);
    form.addEventListener("focusout", function (event) {
      var field = fieldOf(event.target);
      if (field && !(event.relatedTarget && fieldOf(event.relatedTarget) === field)) { touched[field] = true; refresh(); }
    });
    form.addEventListener("input", function (event) {
      if (event.target.id === "write-keep") return;
      var field = fieldOf(event.target), typed = event.target.type === "text" || event.target.tagName === "TEXTAREA";
      if (field && !typed) touched[field] = true;
      el("write-result").hidden = true;                   // never leave a stale file on show
      // Typing is checked once it pauses (a long paste stays responsive); a tick at once, so
      // messages never move the page under the next tap.
      if (typed) refreshSoon(); else refresh();
      saveSoon();
    });
    window.addEventListener("pagehide", function () { if (saveTimer) { clearTimeout(saveTimer); saveDraft(); } });
    el("write-keep").addEventListener("change", function () {
      if (el("write-keep").checked) { saveDraft(); draftStatus("Your draft is now kept on this device too."); }
      else {
        var device = store("localStorage");
        dropDraft(device, DRAFT_KEY);
        saveDraft();
        draftStatus("Your draft is no longer kept on this device. It stays in this tab until you close it.");
      }
    });
    el("write-delete").addEventListener("click", function () {
      deleteDraft("Your draft was deleted from this browser, and the form is empty again.");
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
    el("write-mail").addEventListener("click", sendPrivately);
  }
  var saveTimer = null;
  function saveSoon() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(function () { saveTimer = null; saveDraft(); }, PAUSE);
  }

  var api = { validate: validate, storyText: storyText, storyId: storyId, githubUrl: githubUrl, mailtoUrl: mailtoUrl,
    say: say, refresh: function () { return refresh(); },
    draft: function (kind) { return getDraft(store(kind), kind === "localStorage" ? DRAFT_KEY : TAB_KEY); },
    lookalikeKeys: function (line) { return W && W.looks ? lookalikeKeys(line) : null; },
    openMail: function (url) { window.location.href = url; } };   // replaceable, so tests can see it
  window.RipplesWrite = api;
  if (!document.getElementById("write-form") || !script) return;
  api.ready = fetch(new URL("story-rules.json", script.src).href, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(begin);
})();
