"""Pagefind's filter index, rewritten in sorted order (macros/finish/pagefind_order.py):
the same data whatever order Pagefind wrote it in, and every reference updated."""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from macros.finish import pagefind_order as po


def bundle_files(bundle: Path) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def meta_of(bundle: Path):
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return po.read(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")


def filters_of(bundle: Path) -> dict[str, list]:
    return {name: po.read(bundle / "filter" / f"{h}.pf_filter") for name, h in meta_of(bundle)[3]}


def shuffled_copy(bundle: Path, dest: Path, seed: int) -> Path:
    """The bundle as another Pagefind run might write it: the same data, other orders."""
    shutil.copytree(bundle, dest)
    rng = random.Random(seed)
    entry_path = dest / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    meta_path = dest / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    meta = po.read(meta_path)
    for i, (name, h) in enumerate(meta[3]):
        path = dest / "filter" / f"{h}.pf_filter"
        filter_name, values = po.read(path)
        rng.shuffle(values)
        path.unlink()
        new = f"en_{seed:03d}{i:04d}"
        (dest / "filter" / f"{new}.pf_filter").write_bytes(po.packed([filter_name, values]))
        meta[3][i] = [name, new]
    rng.shuffle(meta[3])
    meta_path.unlink()
    (dest / f"pagefind.en_{seed:010d}.pf_meta").write_bytes(po.packed(meta))
    entry["languages"]["en"]["hash"] = f"en_{seed:010d}"
    entry_path.write_text(json.dumps(entry), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def bundle(built_site: Path) -> Path:
    return built_site / "pagefind"


def test_the_built_index_is_already_in_sorted_order(bundle):
    filters = filters_of(bundle)
    assert set(filters) >= {"relationship", "theme", "chapter"}
    for name, (filter_name, values) in filters.items():
        assert filter_name == name and values == sorted(values) and values, name
    assert [n for n, _ in meta_of(bundle)[3]] == sorted(filters)


def test_any_order_pagefind_writes_comes_out_as_the_same_bytes(bundle, tmp_path):
    expected = bundle_files(bundle)
    for seed in (1, 2):
        copy = shuffled_copy(bundle, tmp_path / f"run{seed}", seed)
        assert bundle_files(copy) != expected  # the shuffle really changed the files
        po.canonical_bundle(copy)
        assert bundle_files(copy) == expected


def test_a_bundle_of_another_layout_is_refused_with_a_message(tmp_path, bundle):
    copy = shutil.copytree(bundle, tmp_path / "odd")
    entry = json.loads((copy / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = copy / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    meta.write_bytes(po.packed(["1.5.2", []]))
    with pytest.raises(po.FormatError, match="no filter list"):
        po.canonical_bundle(copy)
