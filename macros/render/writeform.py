"""The "Write a story" form (docs/contribute/write.md), rendered from the Story
model and the taxonomy. overrides/assets/write.js reveals it, checks it with
assets/story-rules.json and builds the story file; without scripts the page
shows the template and the e-mail route instead."""
from __future__ import annotations

from macros.read.handbook import Handbook
from macros.read.model import REFLECTION_MAX, Consent
from macros.render.formwords import CONSENT, GROUPS, HELP, LABELS
from macros.render.markup import esc
from macros.render.rules import VOCABULARY

def error_slot(key: str) -> str:
    return f'<p class="write-error" id="e-{esc(key)}" data-error-for="{esc(key)}"></p>'


def text_field(key: str) -> str:
    fid = f"f-{key.replace('.', '-')}"
    # enterkeyhint: a phone's Enter key says "Next" here; write.js moves on instead of submitting
    return (f'<div class="write-field" data-field="{esc(key)}"><label for="{fid}">{esc(LABELS[key])}</label>'
            f'<p class="write-help" id="h-{esc(key)}">{esc(HELP[key])}</p>'
            f'<input type="text" id="{fid}" name="{esc(key)}" autocomplete="off" spellcheck="true" '
            f'enterkeyhint="next" aria-describedby="h-{esc(key)} e-{esc(key)}">{error_slot(key)}</div>')


def choice_group(field: str, hb: Handbook) -> str:
    legend, hint = GROUPS[field]
    kind = "radio" if field == "chapter" else "checkbox"
    entries = hb.taxonomy.sorted_chapters() if field == "chapter" else getattr(hb.taxonomy, VOCABULARY[field])
    items = "".join(
        f'<li><input type="{kind}" id="f-{field}-{esc(e.id)}" name="{field}" value="{esc(e.id)}">'
        f'<label for="f-{field}-{esc(e.id)}"><span class="write-choice-name">{esc(e.name)}</span> '
        f'<span class="write-choice-desc">{esc(e.description)}</span></label></li>' for e in entries)
    extra = '<p class="write-main" id="main-domain" aria-live="polite"></p>' if field == "domains" else ""
    return (f'<fieldset class="write-field write-choices" data-field="{field}" id="f-{field}" '
            f'aria-describedby="h-{field} e-{field}"><legend>{esc(legend)}</legend>'
            f'<p class="write-help" id="h-{field}">{esc(hint)}</p>{extra}<ul>{items}</ul>{error_slot(field)}</fieldset>')


def reflection_group(count: int) -> str:
    inputs = "".join(
        f'<div class="write-field" data-field="reflection[{i}]"><label for="f-reflection-{i}">Question {i} '
        '(optional)</label>'
        f'<input type="text" id="f-reflection-{i}" name="reflection" autocomplete="off" enterkeyhint="next" '
        f'aria-describedby="h-reflection e-reflection[{i}]">{error_slot(f"reflection[{i}]")}</div>'
        for i in range(1, count + 1))
    return (f'<fieldset class="write-field" data-field="reflection" id="f-reflection" '
            f'aria-describedby="h-reflection e-reflection"><legend>Questions for reflection (optional)</legend>'
            f'<p class="write-help" id="h-reflection">{esc(HELP["reflection"])}</p>{inputs}'
            f'{error_slot("reflection")}</fieldset>')


def consent_group() -> str:
    items = "".join(
        f'<div class="write-field" data-field="consent.{f}"><input type="checkbox" id="f-consent-{f}" '
        f'name="consent.{f}" aria-describedby="e-consent.{f}"><label for="f-consent-{f}">{esc(CONSENT[f])}</label>'
        f'{error_slot(f"consent." + f)}</div>' for f in Consent.model_fields)
    return ('<fieldset class="write-consent"><legend>Your consent: tick each one only when it is true</legend>'
            '<p class="write-help">We can only publish a story when all three are true. If one is not true yet, '
            'your draft stays in this tab, and you can come back to it.</p>' + items + '</fieldset>')


def body_field() -> str:
    return ('<div class="write-field" data-field="body"><label for="f-body">' + esc(LABELS["body"]) + '</label>'
            f'<p class="write-help" id="h-body">{esc(HELP["body"])}</p>'
            '<textarea id="f-body" name="body" rows="14" spellcheck="true" aria-describedby="h-body e-body">'
            '</textarea>' + error_slot("body") + '</div>')


def editors_part(hb: Handbook) -> str:
    """Themes, content notes and the editorial fields: suggestions, never required."""
    return ('<fieldset class="write-section write-optional"><legend>Optional: suggestions for the editors'
            '</legend><p class="write-help">You may skip all of this. If you leave it empty, the editors '
            'choose the themes and write the summary, the shift and the questions with you before your story '
            'is published.</p>'
            + choice_group("themes", hb) + choice_group("content_notes", hb)
            + text_field("summary") + text_field("shift.from") + text_field("shift.to")
            + reflection_group(REFLECTION_MAX) + '</fieldset>')


def draft_box() -> str:
    """Near the top: what the page keeps, where, and the choice to keep it longer."""
    return ('<fieldset class="write-draft"><legend>Your draft</legend>'
            '<p class="write-help" id="write-session-help">While this tab is open, the page keeps what you '
            'type, even if you reload it or go back and forward. It is kept in this browser only (session '
            'storage), and the browser deletes it when you close the tab. Nothing is sent anywhere.</p>'
            '<div><input type="checkbox" id="write-keep" name="keep-draft" aria-describedby="write-keep-help">'
            '<label for="write-keep">Also keep my draft on this device after I close the tab</label></div>'
            '<p class="write-help" id="write-keep-help">Off unless you tick it. When ticked, your draft stays in '
            'this browser (local storage) until you delete it.</p>'
            '<button type="button" class="write-button" id="write-delete" hidden>Delete my draft</button>'
            '<p class="write-status" id="write-draft-status" role="status"></p></fieldset>')


def no_script(hb: Handbook) -> str:
    template = (hb.root / "stories" / "_template.md").read_text(encoding="utf-8")
    mail = esc(hb.settings.contact_email)
    return ('<div class="write-noscript" id="write-noscript" data-search-exclude data-pagefind-ignore><p><strong>This form needs JavaScript, which is off '
            'in your browser.</strong> You can still send a story. Copy the template below, write your story '
            'under it, fill in the title, your name and the relationships, and e-mail it to '
            f'<a href="mailto:{mail}">{mail}</a>. You may leave the summary, the shift and the questions as they '
            'are: the editors write them. Only the editors read that mail box.</p>'
            f'<pre class="template"><code>{esc(template)}</code></pre></div>')


def result_section() -> str:
    return (
        '<section class="write-result" id="write-result" tabindex="-1" hidden aria-label="Your story file" '
        'data-search-exclude data-pagefind-ignore>'
        '<h2 class="write-result-title">Your story file</h2>'
        '<p>File name: <code id="write-filename"></code></p>'
        '<h3 class="write-subtitle">Send it to the editors privately</h3>'
        '<p>Only the editors will read it.</p>'
        '<p class="write-actions"><a class="write-button write-button--primary" id="write-mail" '
        'href="#write-result">Send privately</a></p>'
        '<p class="write-note" id="write-send-note"></p>'
        '<p class="write-status" id="write-status" role="status"></p>'
        '<h3 class="write-subtitle">How the story page will look</h3>'
        '<div class="write-preview" id="write-preview"></div>'
        '<h3 class="write-subtitle">The file itself</h3>'
        '<pre class="write-file"><code id="write-file"></code></pre>'
        '<div class="write-actions">'
        '<button type="button" class="write-button" id="write-copy">Copy</button> '
        '<button type="button" class="write-button" id="write-download">Download</button></div>'
        '<h3 class="write-subtitle">Or propose it in public on GitHub</h3>'
        '<p class="write-warning"><strong>Before you propose on GitHub:</strong> a pull request is public. '
        'Anyone can read it, and it stays in the history of the project even if the story is withdrawn later. '
        'You need a GitHub account.</p>'
        '<p class="write-actions"><a class="write-button" id="write-github" href="#write-result" target="_blank" '
        'rel="noopener noreferrer">Propose on GitHub</a></p>'
        '<p class="write-note" id="write-long-note" hidden></p></section>')


def story_form(hb: Handbook) -> str:
    form = (
        '<form class="write-form" id="write-form" novalidate hidden data-search-exclude data-pagefind-ignore>'
        '<div class="write-errors" id="write-errors" tabindex="-1" hidden role="group" aria-labelledby="write-errors-title">'
        '<p class="write-errors-title" id="write-errors-title"></p><ul id="write-errors-list"></ul></div>'
        + draft_box()
        + '<fieldset class="write-section"><legend>You and your story</legend>'
        + text_field("person") + text_field("title") + '<p class="write-help">The file will be called '
        '<code id="write-id-preview">stories/….md</code>.</p></fieldset>'
        + choice_group("domains", hb) + choice_group("chapter", hb)
        + body_field() + editors_part(hb) + consent_group()
        + '<p class="write-help">The editors add the review date and the reviewer\'s name. You do not need to.</p>'
        '<p><button type="submit" class="write-button write-button--primary" id="write-submit">Check and make my story '
        'file</button></p></form>')
    # Loaded here, not on every page: only this page has a form to check.
    return (no_script(hb) + form + result_section()
            + '<script src="../../assets/write.js" defer></script>')
