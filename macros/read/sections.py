"""The words a story page prints around the storyteller's: its section headings and the
editorial label. The check refuses a story line that imitates them (validate.py), and
the renderers print them (render/pages.py): one definition for both."""
from __future__ import annotations

# Story page sections: (anchor, heading). Anchors are permanent (shared links).
STORY_SECTIONS = {
    "story": "Their story",
    "shift": "The shift",
    "reflection": "Questions for reflection",
    "related": "Related stories",
}
EDITORIAL_LABEL = "Editorial"
