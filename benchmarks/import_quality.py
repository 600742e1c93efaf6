"""How many fields `reply-archive import` gets right on the pattern fixtures.

    python benchmarks/import_quality.py [FOLDER]   (default: tests/fixtures/ingest-patterns)

Each page `NAME.txt` / `NAME.html` has `NAME.yaml` beside it: the front matter it should
give. Every key there is one field (a list counts once; `region` is compared as the build
derives it; `contacts` lists the labels kept; `draft: true` for a draft), and so is every
key the importer writes that the expected file lacks; `body_has` / `body_lacks` are each one
field of the body. A page that gives no file fails all of its fields. Prints each wrong field
and the share right.
"""

from __future__ import annotations

import io
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.ingest import import_paths  # noqa: E402
from builder.places import region_of  # noqa: E402

DEFAULT = ROOT / "tests" / "fixtures" / "ingest-patterns"
PAGE_SUFFIXES = (".txt", ".html", ".htm")
COMPARED = [
    "title",
    "kind",
    "bureau",
    "published",
    "region",
    "session",
    "number",
    "proposal_title",
    "proposers",
    "proposer_role",
    "doc_number",
    "index_number",
    "category",
    "status",
    "written",
    "outcome",
    "tags",
    "contacts",
    "draft",
]


@dataclass
class Score:
    right: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.right + len(self.wrong)


def pages_in(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for page in sorted(folder.iterdir()):
        expected = page.with_suffix(".yaml")
        if page.suffix in PAGE_SUFFIXES and expected.is_file():
            found.append((page, yaml.safe_load(expected.read_text(encoding="utf-8"))))
    return found


def imported(page: Path, into: Path) -> tuple[dict[str, Any], str] | None:
    report = import_paths([page], into, dry_run=False, force=True, out=io.StringIO())
    if not report.written:
        return None
    text = report.written[0].read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    values = yaml.safe_load(front)
    return (values if isinstance(values, dict) else {}), body


def normal(key: str, value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if key == "contacts":
        return sorted(value) if value else []
    if isinstance(value, list):
        return [str(v) for v in value]
    return None if value in (None, "", []) else str(value)


def score_page(page: Path, expected: dict[str, Any], into: Path, score: Score) -> None:
    got = imported(page, into)
    keys = [k for k in COMPARED if k in expected]
    if got is None:
        score.wrong += [f"{page.name}: no file written ({k})" for k in keys]
        return
    values, body = got
    if values.get("bureau") and "region" not in values:
        values["region"] = region_of(str(values["bureau"]))
    for key in COMPARED:
        want, have = normal(key, expected.get(key)), normal(key, values.get(key))
        if key not in expected and have in (None, []):
            continue
        if want == have:
            score.right += 1
        else:
            score.wrong.append(f"{page.name}: {key}: want {want!r}, got {have!r}")
    flat = "".join(body.split())
    for text in expected.get("body_has", []):
        ok = "".join(str(text).split()) in flat
        _tally(score, ok, f"{page.name}: body lacks {text!r}")
    for text in expected.get("body_lacks", []):
        ok = "".join(str(text).split()) not in flat
        _tally(score, ok, f"{page.name}: body has {text!r}")


def _tally(score: Score, ok: bool, wrong: str) -> None:
    if ok:
        score.right += 1
    else:
        score.wrong.append(wrong)


def measure(folder: Path) -> tuple[Score, int]:
    score = Score()
    pages = pages_in(folder)
    with tempfile.TemporaryDirectory() as temporary:
        for page, expected in pages:
            score_page(page, expected, Path(temporary) / page.stem, score)
    return score, len(pages)


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    score, pages = measure(folder)
    for line in score.wrong:
        print(line)
    share = 100 * score.right / score.total if score.total else 0.0
    print(f"{pages} pages, {score.right}/{score.total} fields right ({share:.1f} %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
