"""The order `make test` hands modules to its two workers: longest first, from the figures
bench/suite.py --record measured (tests/module-seconds.json). Only speed depends on it."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import conftest
from conftest import MODULE_SECONDS, ROOT


def test_every_measured_module_exists_and_took_a_number_of_seconds():
    seconds = json.loads(MODULE_SECONDS.read_text(encoding="utf-8"))
    assert seconds, "no module measured"
    missing = [m for m in seconds if not re.fullmatch(r"tests/test_\w+\.py", m) or not (ROOT / m).is_file()]
    assert not missing, f"{MODULE_SECONDS.name} names modules that are not there: {missing}"
    assert all(isinstance(t, (int, float)) and t >= 0 for t in seconds.values())


@dataclass(frozen=True)
class Item:
    nodeid: str


def test_longest_modules_come_first_and_unmeasured_ones_keep_their_order(tmp_path, monkeypatch):
    figures = tmp_path / "module-seconds.json"
    figures.write_text(json.dumps({"tests/test_b.py": 9.5, "tests/test_c.py": 120}), encoding="utf-8")
    monkeypatch.setattr(conftest, "MODULE_SECONDS", figures)
    items = [Item(n) for n in ("tests/test_a.py::one", "tests/test_b.py::one", "tests/test_z.py::one",
                               "tests/test_c.py::one", "tests/test_b.py::two", "tests/test_a.py::two")]
    conftest.pytest_collection_modifyitems(None, items)
    assert [i.nodeid for i in items] == ["tests/test_c.py::one", "tests/test_b.py::one", "tests/test_b.py::two",
                                         "tests/test_a.py::one", "tests/test_z.py::one", "tests/test_a.py::two"]


def test_make_test_keeps_that_order():
    """pytest-xdist otherwise re-sorts whole modules by how many tests they hold."""
    recipe = re.search(r"^test:.*\n\t(.*)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    assert "--dist loadfile" in recipe and "--no-loadscope-reorder" in recipe, recipe
