"""The order `make test` hands modules to its two workers: longest first, from the figures
bench/suite.py --record measured (tests/module-seconds.json); and where a run keeps its
scratch files (in memory when there is room). Only speed depends on either."""
from __future__ import annotations

import json
import os
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
    fixturenames: tuple[str, ...] = ()


def test_longest_modules_come_first_and_unmeasured_ones_keep_their_order(tmp_path, monkeypatch):
    figures = tmp_path / "module-seconds.json"
    figures.write_text(json.dumps({"tests/test_b.py": 9.5, "tests/test_c.py": 120}), encoding="utf-8")
    monkeypatch.setattr(conftest, "MODULE_SECONDS", figures)
    items = [Item(n) for n in ("tests/test_a.py::one", "tests/test_b.py::one", "tests/test_z.py::one",
                               "tests/test_c.py::one", "tests/test_b.py::two", "tests/test_a.py::two")]
    conftest.pytest_collection_modifyitems(None, items)
    assert [i.nodeid for i in items] == ["tests/test_c.py::one", "tests/test_b.py::one", "tests/test_b.py::two",
                                         "tests/test_a.py::one", "tests/test_z.py::one", "tests/test_a.py::two"]


def test_the_second_worker_starts_with_a_module_that_need_not_wait(tmp_path, monkeypatch):
    """The two longest modules start by needing the built site, which one worker makes while the
    other waits: the second module handed out is the longest that starts without it."""
    figures = tmp_path / "module-seconds.json"
    figures.write_text(json.dumps({"tests/test_a.py": 90, "tests/test_b.py": 80, "tests/test_c.py": 70,
                                   "tests/test_d.py": 60}), encoding="utf-8")
    monkeypatch.setattr(conftest, "MODULE_SECONDS", figures)
    site = ("browser", "built_site")
    items = [Item("tests/test_d.py::one"), Item("tests/test_c.py::one", ("seed_site",)), Item("tests/test_c.py::two"),
             Item("tests/test_b.py::one", site), Item("tests/test_a.py::one", site), Item("tests/test_a.py::two")]
    conftest.pytest_collection_modifyitems(None, items)
    assert [i.nodeid for i in items] == ["tests/test_a.py::one", "tests/test_a.py::two", "tests/test_d.py::one",
                                         "tests/test_b.py::one", "tests/test_c.py::one", "tests/test_c.py::two"]
    # the second longest needs no site: nothing moves
    items = [Item("tests/test_a.py::one", site), Item("tests/test_b.py::one"), Item("tests/test_c.py::one")]
    conftest.pytest_collection_modifyitems(None, items)
    assert [i.nodeid for i in items] == ["tests/test_a.py::one", "tests/test_b.py::one", "tests/test_c.py::one"]


def test_make_test_keeps_that_order():
    """pytest-xdist otherwise re-sorts whole modules by how many tests they hold."""
    recipe = re.search(r"^test:.*\n\t(.*)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    assert "--dist loadfile" in recipe and "--no-loadscope-reorder" in recipe, recipe


def test_scratch_files_go_to_memory_only_when_it_has_room(tmp_path, monkeypatch):
    from macros.finish import search
    monkeypatch.delenv("TMPDIR", raising=False)
    monkeypatch.setattr(search, "RAM_DIR", tmp_path)
    monkeypatch.setattr(conftest, "TEST_RAM_MIN_FREE", 1)
    assert conftest.memory_scratch() == tmp_path / f"ripples-tests-{os.getuid()}"
    monkeypatch.setattr(conftest, "TEST_RAM_MIN_FREE", 1 << 60)
    assert conftest.memory_scratch() is None, "a folder without room for four runs was chosen"
    monkeypatch.setattr(conftest, "TEST_RAM_MIN_FREE", 1)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert conftest.memory_scratch() is None, "a TMPDIR set by the user was overridden"
    monkeypatch.setattr(search, "RAM_DIR", tmp_path / "missing")
    monkeypatch.delenv("TMPDIR")
    assert conftest.memory_scratch() is None


def test_this_run_keeps_its_scratch_files_where_the_rule_says(tmp_path):
    """The run's own folders (pytest's, and what builds and Chromium make) are under the folder
    conftest chose when it loaded; without one, under the system's temporary folder."""
    import tempfile
    chosen = conftest.SCRATCH or Path(os.environ.get("TMPDIR") or tempfile.gettempdir())
    assert tmp_path.resolve().is_relative_to(chosen.resolve())
    assert Path(tempfile.gettempdir()).resolve().is_relative_to(chosen.resolve())
