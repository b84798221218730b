"""The disk caches (macros/render/cache.py) keep work, never change a result: a value comes
back from the cache only for exactly the inputs it was computed from."""
from __future__ import annotations

import json
import re

import pytest

from macros.render import cache, rules


def test_a_cached_value_is_computed_once_per_set_of_inputs(tmp_path, monkeypatch):
    monkeypatch.setenv("RIPPLES_CACHE", str(tmp_path))
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls), "text": "é\U0001F331"}

    first = cache.cached_json("demo", ["a", "b"], compute)
    assert cache.cached_json("demo", ["a", "b"], compute) == first == {"n": 1, "text": "é\U0001F331"}
    assert cache.cached_json("demo", ["a", "c"], compute) == {"n": 2, "text": "é\U0001F331"}  # other inputs
    assert cache.cached_json("demo", ["a\0b"], compute)["n"] == 3                          # not a join of others
    assert len(calls) == 3


def test_a_damaged_cache_file_is_computed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("RIPPLES_CACHE", str(tmp_path))
    cache.cached_json("demo", ["x"], lambda: [1])
    (stored,) = (tmp_path / "demo").glob("*.json")
    stored.write_text("[1", encoding="utf-8")
    assert cache.cached_json("demo", ["x"], lambda: [2]) == [2]
    assert json.loads(stored.read_text(encoding="utf-8")) == [2]


def test_the_lookalike_table_from_the_cache_is_the_computed_table(tmp_path, monkeypatch):
    monkeypatch.setenv("RIPPLES_CACHE", str(tmp_path))
    rules.lookalike_rule.cache_clear()
    try:
        computed = rules.lookalike_rule()
        rules.lookalike_rule.cache_clear()
        assert list((tmp_path / "lookalike").glob("*.json")), "nothing was cached"
        assert rules.lookalike_rule() == computed == json.loads(json.dumps(rules._lookalike_rule()))
    finally:
        rules.lookalike_rule.cache_clear()


def test_the_unicode_scans_from_the_cache_are_the_scans(tmp_path, monkeypatch):
    """The write page's classes (\\s, \\d, \\w, letters) and the letters Python folds to ASCII ones:
    read from the cache, exactly what scanning every code point gives, and not scanned again."""
    from macros.render import jsregex
    monkeypatch.setenv("RIPPLES_CACHE", str(tmp_path))
    memoized = (jsregex._runs, jsregex._caseless_letters, jsregex.class_body)
    for f in memoized:
        f.cache_clear()
    try:
        first = {name: jsregex._runs(name) for name in jsregex._SHORTHANDS}, jsregex._caseless_letters()
        assert len(list(tmp_path.glob("jsregex-*/*.json"))) == len(jsregex._SHORTHANDS) + 1
        for f in memoized:
            f.cache_clear()
        monkeypatch.setattr(jsregex, "_every_character", lambda: pytest.fail("scanned again"))
        again = {name: jsregex._runs(name) for name in jsregex._SHORTHANDS}, jsregex._caseless_letters()
        monkeypatch.undo()
        scanned = {name: tuple(jsregex._scan_runs(name)) for name in jsregex._SHORTHANDS}
        assert again == first == (scanned, "".join(c for c in map(chr, range(0x80, 0x110000))
                                                   if re.fullmatch("[a-z]", c, re.IGNORECASE)))
        assert "\u212a" in again[1] and "\u017f" in again[1]   # the Kelvin sign, long s
    finally:
        for f in memoized:
            f.cache_clear()
