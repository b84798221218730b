"""Flesch-Kincaid grade level, offline.

Syllables are counted the way textstat 0.7.4 does (pyphen hyphenation points
+ 1), without textstat itself: 0.7.5+ downloads NLTK data at run time.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pyphen

_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_DIC = pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    return max(1, len(_DIC.positions(word.lower())) + 1)


def grade(text: str) -> float:
    """Flesch-Kincaid grade of `text`; 0.0 for text without words."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip() + " ")))
    syl = sum(syllables(w) for w in words)
    return round(0.39 * len(words) / sentences + 11.8 * syl / len(words) - 15.59, 1)
