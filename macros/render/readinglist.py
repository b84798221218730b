"""The private reading list (/clinicians/list/): the build-time data file and the page's
skeleton. The selection itself lives only in the link's #fragment, read by
overrides/assets/readinglist.js: no server, no cookies, nothing stored by the site. The link
names each story by its code (macros/render/listcodes.py), never by its title or id."""
from __future__ import annotations

import json

from macros.render import listcodes
from macros.read.handbook import Handbook
from macros.render.pages import editorial, editorial_text
from macros.render.markup import esc
from macros.render.toolkit import crisis_lines, kap_note
from macros.read.lock import read_lock

LIST_URL = "clinicians/list/"
DATA_FILE = "stories.json"   # beside the page: clinicians/list/stories.json


class CodeClash(ValueError):
    """A story's reading-list code would change the meaning of a published one."""


def story_codes(hb: Handbook) -> dict[str, str]:
    """code -> story id for every story the build shows, and every published code (from the
    address lock) whose story is still here, possibly under a new id."""
    codes, problems = listcodes.code_map([s.id for s in hb.stories], listcodes.locked_codes(read_lock(hb.root)),
                                         listcodes.renamed_stories(hb.redirects))
    if problems:
        raise CodeClash("\n  ".join(problems))
    return codes


def reading_list_data(hb: Handbook) -> str:
    """Every story's card data, and the reading-list codes, as JSON. The browser only ever sets
    it as text (textContent), and <, > and & are escaped as well, so no story text can become markup."""
    names = lambda kind: {e.id: e.name for e in getattr(hb.taxonomy, kind)}  # noqa: E731
    data = {
        "codes": story_codes(hb),
        "domains": names("domains"), "themes": names("themes"), "content_notes": names("content_notes"),
        "stories": [{"id": s.id, "code": listcodes.story_code(s.id), "url": s.url, "title": s.label,
                     "summary": s.meta.summary or "",
                     "domains": s.meta.domains, "themes": s.meta.themes, "notes": s.meta.content_notes}
                    for s in hb.stories],
    }
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


VIEW_PRIVACY = ("This list is in the link you opened, not on this site. Your browser keeps the link in its "
                "history; anyone who can see this device, or the message it came in, can open it too.")
# What is and is not private, said exactly: the page, the e-mail and the text message say it.
PRIVACY = ("The list lives in the link itself, after the # sign. Browsers never send that part to any server, "
           "so this site never sees the list, and this page stores nothing (no cookies, no storage). The link "
           "names no story: each story is a short code, such as c=3fz8a0b. But the link is an ordinary web "
           "address: the browser keeps it in its history, and anyone who can see the phone, the inbox, the "
           "messages or the printout can open it and see the stories. Send it only where the person wants it.")


def _options(entries) -> str:
    return "".join(f'<option value="{esc(e.id)}">{esc(e.name)}</option>' for e in entries)


def reading_list_page(hb: Handbook, site_url: str) -> str:
    t = hb.taxonomy
    notes = "".join(f'<label><input type="checkbox" value="{esc(e.id)}"> {esc(e.name)}</label>'
                    for e in t.content_notes)
    intro = editorial_text("Pick stories for one person, then share the list as a link, a QR code, an e-mail, "
                           "a text message or a printout. The person sees only the stories you chose, with "
                           "their content notes and the crisis lines.", hb)
    private = PRIVACY
    view_intro = editorial_text("Someone picked these stories for you. Read them at your own pace, in any "
                                "order, and stop when you want. Each story lists its content notes first, "
                                "so you can choose what to read.", hb)
    return (
        f'<div class="rl" data-stories="{DATA_FILE}">'
        '<p class="rl-nojs">This page needs JavaScript to make or show a reading list. '
        'Every story is also listed on the chapters page.</p>'
        '<div class="rl-builder" hidden><p class="rl-print-title print-block">Stories chosen for you</p>'
        + editorial(f"<p>{intro}</p><p class=\"rl-private\"><strong>What stays private:</strong> {esc(private)}</p>")
        + '<h2 class="rl-h">Pick stories</h2>'
        '<div class="rl-filters">'
        f'<p><label for="rl-domain">Relationship</label> <select id="rl-domain"><option value="">All relationships</option>{_options(t.domains)}</select></p>'
        f'<p><label for="rl-theme">Theme</label> <select id="rl-theme"><option value="">All themes</option>{_options(t.themes)}</select></p>'
        f'<fieldset class="rl-notes"><legend>Leave out stories that mention</legend>{notes}</fieldset>'
        '</div>'
        '<p class="rl-shown" role="status" aria-live="polite"></p>'
        '<ul class="rl-catalogue"></ul>'
        '<h2 class="rl-h">Your list</h2>'
        '<p class="rl-count" role="status" aria-live="polite">No stories chosen yet.</p>'
        '<ol class="story-cards rl-chosen print-list"></ol>'
        '<div class="rl-share" hidden>'
        '<p class="rl-link-row"><label for="rl-link">Link to this list</label> '
        '<input id="rl-link" type="url" readonly></p>'
        '<div class="rl-qr" role="img" aria-label="QR code of the link to this list"></div>'
        '<p class="rl-print-link print-block"></p>'
        '<p class="rl-actions list-tools">'
        '<button type="button" class="rl-copy">Copy link</button> '
        '<a class="rl-mail rl-button">E-mail</a> '
        '<a class="rl-sms rl-button">Text message</a> '
        '<button type="button" class="print-handout">Print</button></p>'
        '</div></div>'
        '<div class="rl-view" hidden>'
        + editorial(f"<p>{view_intro}</p>")
        + '<ol class="story-cards rl-view-list"></ol>'
        '<p class="rl-missing" role="status" hidden></p>'
        f'<p class="rl-view-private">{esc(VIEW_PRIVACY)}</p>'
        + crisis_lines(hb.settings, label="Crisis lines")
        + '</div>' + kap_note(LIST_URL, site_url) + '</div>'
        '<script src="../../assets/vendor/qrcode-generator-2.0.4.js" defer></script>'
        '<script src="../../assets/readinglist.js" defer></script>')
