"""The synthetic archive generator (benchmarks/generate.py) is deterministic and well-formed."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
N = 30
REQUIRED = ("title", "kind", "bureau", "published")
# The block syntax a paragraph must not open with (list items, headings, quotes, HTML…).
UNSAFE_START = re.compile(r"^(?:[\s+\-*#>|<\[!_~=`]|\d{1,9}[.)])")


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_generate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out: Path = gen.generate(N, tmp_path_factory.mktemp("first") / "generated", seed=0)
    return out


def _files(generated: Path) -> dict[str, bytes]:
    return {
        path.relative_to(generated).as_posix(): path.read_bytes()
        for path in sorted(generated.rglob("*"))
        if path.is_file()
    }


def _split(text: str) -> tuple[str, str]:
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return front, body.removeprefix("\n")


def test_same_seed_gives_byte_identical_files(
    gen: ModuleType, generated: Path, tmp_path: Path
) -> None:
    again = gen.generate(N, tmp_path / "again", seed=0)
    assert _files(again) == _files(generated)
    other = gen.generate(N, tmp_path / "other", seed=1)
    assert _files(other) != _files(generated)


def test_regenerating_in_place_does_nothing(gen: ModuleType, generated: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in generated.rglob("*.md")}
    assert gen.is_generated(generated, N, 0)
    gen.generate(N, generated, seed=0)
    assert {p: p.stat().st_mtime_ns for p in generated.rglob("*.md")} == before


def test_archive_layout(generated: Path) -> None:
    replies = sorted((generated / "content" / "replies").rglob("*.md"))
    assert len(replies) == N
    slugs = [path.stem for path in replies]
    assert len(set(slugs)) == N
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9._-]*", slug) for slug in slugs)
    assert "title" in (generated / "site.toml").read_text(encoding="utf-8")


def test_front_matter_and_body(generated: Path) -> None:
    doc_numbers = set()
    for path in sorted((generated / "content" / "replies").rglob("*.md")):
        front, body = _split(path.read_text(encoding="utf-8"))
        data = yaml.safe_load(front)
        assert isinstance(data, dict)
        for key in REQUIRED:
            assert data.get(key), (path.name, key)
        assert data["kind"] in ("suggestion", "proposal")
        assert path.parent.name == str(data["published"].year)
        published = data["published"]
        day = published.date() if isinstance(published, dt.datetime) else published
        assert data["written"] < day
        assert data["bureau"].startswith(data.get("region", data["bureau"][:2]))
        assert 2 <= len(data["tags"]) <= 5
        assert 1 <= len(data["proposers"]) <= 5
        assert all(isinstance(v, str) for v in data.get("contacts", {}).values())
        assert isinstance(data["number"], str)
        doc_numbers.add(data["doc_number"])

        assert 3 * 1024 <= len(body.encode("utf-8")) <= 9 * 1024, path.name
        assert re.search(r"^## 一、", body, re.MULTILINE)
        for paragraph in body.split("\n\n"):
            if not paragraph.startswith(("## ", "### ")):
                assert not UNSAFE_START.match(paragraph), (path.name, paragraph[:20])
    assert len(doc_numbers) == N


def test_rosters_are_sized_like_councils(gen: ModuleType) -> None:
    writer = gen._Writer(0)
    city = next(r for r in gen.REGION_LIST if r.level == "市")
    county = next(r for r in gen.REGION_LIST if r.level == "县")
    for region, kind, low, high in (
        (city, "suggestion", 300, 600),
        (city, "proposal", 400, 700),
        (county, "suggestion", 150, 300),
        (county, "proposal", 150, 280),
    ):
        first = region.npc_term if kind == "suggestion" else region.cppcc_term
        roster = writer.roster(region, kind, first)
        following = writer.roster(region, kind, first + 1)
        for one in (roster, following):
            assert low <= len(one.names) <= high, (region.name, kind)
            assert len(set(one.names)) == len(one.names)
        kept = len(set(roster.names) & set(following.names)) / len(following.names)
        assert 0.3 <= kept <= 0.4, (region.name, kind, kept)
    # A roster is the same whatever was drawn before it.
    again = gen._Writer(0)
    first = city.npc_term + 1
    assert again.roster(city, "suggestion", first) == writer.roster(city, "suggestion", first)


def test_proposers_come_from_their_council_and_term(gen: ModuleType, generated: Path) -> None:
    writer = gen._Writer(0)
    regions = {region.name: region for region in gen.REGION_LIST}
    on_roster = total = 0
    for path in sorted((generated / "content" / "replies").rglob("*.md")):
        data = yaml.safe_load(_split(path.read_text(encoding="utf-8"))[0])
        region = next(r for name, r in regions.items() if data["bureau"].startswith(name))
        year = int(path.parent.name)  # published in the year it was written
        term = gen._term(region, year, data["kind"])[0]
        names = set(writer.roster(region, data["kind"], term).names)
        assert data["proposers"][0] in names, path.name
        on_roster += sum(name in names for name in data["proposers"])
        total += len(data["proposers"])
    assert on_roster >= 0.9 * total
