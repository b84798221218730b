"""The words of the "Write a story" form (/contribute/write/): labels, help, consent, and
the check's file-speak messages said about the form. Plain language, grade 8 or below
(tests/test_write_rules.py measures it)."""
from __future__ import annotations

# Plain-words help for each field, with an example. Only the storyteller's part is required; the
# rest are suggestions the editors write when they are left empty (macros/read/editorial.py).
HELP = {
    "person": "Your first name or a made-up name, so no one can tell it is you. One word, letters only. "
              "Example: Ana.",
    "title": "A short title about the change. Example: Learning to Ask for Help.",
    "summary": "One plain sentence about what changed. Example: Ana learned to ask her sister for help "
               "instead of doing it all alone.",
    "shift.from": "The old pattern, in a few plain words. Example: Doing everything alone.",
    "shift.to": "The new pattern, in a few plain words. Example: Asking for help and taking it.",
    "reflection": "Questions a reader can think about or talk about with someone. Write 2 to 4, or none. "
                  "Example: Who do you find it hard to ask for help, and why?",
    "body": "Type or paste your story. Each line break starts a new paragraph. Plain text only: no HTML. "
            "A web address on its own is not a link. To make a link, put the words in square brackets and "
            "the address right after them in round brackets, like this: [my blog](https://example.org).",
}
LABELS = {"person": "Your first name or a made-up name", "title": "Title of your story",
          "summary": "Summary (optional)", "shift.from": "From: the old pattern (optional)",
          "shift.to": "To: the new pattern (optional)", "body": "Your story, in your own words"}
GROUPS = {
    "chapter": ("Chapter", "Choose the one chapter your story fits best."),
    "domains": ("Relationships", "Tick every kind of relationship that changed. The first one you tick is the "
                                 "main one."),
    "themes": ("Themes (optional)", "Tick up to 6 themes your story is about, or leave them to the editors."),
    "content_notes": ("Content notes (optional)", "Tick any hard topic your story touches, so readers can "
                                                  "choose. You may tick none."),
}
CONSENT = {
    "permission": "I agree that Ripples may publish these words.",
    "deidentified": "No one could tell who I am from this story.",
    "others_deidentified": "No one could tell who the other people in my story are. That includes partners, "
                           "children, family, friends and coworkers.",
}
# The check's words for a file, said about the form instead (rules.py maps each check message to these).
FORM_WORDS = {
    "empty": "is empty: please fill it in",
    "domains_none": "has nothing ticked: tick every kind of relationship that changed",
    "body_empty": "is empty: please type or paste your story",
    "body_placeholder": "is still the example text: write your own story instead",
    "reflection_count": "has only one question: write at least 2, or leave all of them empty for the editors",
    "consent.permission": 'is not ticked: we can only publish your story once you tick "I agree"',
    "consent.deidentified": "is not ticked: change names, places and details until no one could tell it is "
                            "you, then tick it",
    "consent.others_deidentified": "is not ticked: change the other people's names and details until no one "
                                   "could tell who they are, then tick it",
}
FORM_WORDS_FOR = {"chapter": {"empty": "has nothing chosen: choose the one chapter your story fits best"}}
TOO_BIG = ("is too long for one story: the limit is about {words} words, and yours has about {n} words "
           "(shorten it, or send it in two parts)")
BYTES_PER_WORD = 6  # an English word and the space after it, as UTF-8: 100,000 bytes is about 16,000 words


def size_words(max_bytes: int) -> str:
    """The file size limit said in words, rounded down to a thousand."""
    return f"{max_bytes // BYTES_PER_WORD // 1000 * 1000:,}"
