"""The pipeline's imports go one way: a stage may use earlier stages, never later ones."""

from __future__ import annotations

import ast
from pathlib import Path

BUILDER = Path(__file__).resolve().parent.parent / "builder"

# Earlier stages first. A module may import only modules above it in this list.
ORDER = [
    "i18n",
    "errors",
    "files",
    "parallel",
    "timing",
    "slugs",
    "dates",
    "places",
    "config",
    "sources",
    "markup",
    "model",
    "archive",
    "statistics",
    "urls",
    "data",
    "pages",
    "render",
    "output",
    "search",
    "build",
    "serve",
    "ingest",
    "scaffold",
    "console",
    "cli",
]


def builder_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("builder"):
            parts = node.module.split(".")
            found.add(parts[1] if len(parts) > 1 else node.names[0].name)
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("builder.")}
    return found


def stage_of(name: str) -> int:
    stem = name.split("_")[0]  # search_ui.py belongs with search.py
    return ORDER.index(stem) if stem in ORDER else -1


def test_no_stage_imports_a_later_stage() -> None:
    back_edges = []
    for path in sorted(BUILDER.rglob("*.py")):
        module = path.relative_to(BUILDER).parts[0].removesuffix(".py")
        if module in ("__init__", "__main__") or stage_of(module) < 0:
            continue
        for imported in builder_imports(path):
            if imported not in ("__version__",) and stage_of(imported) > stage_of(module):
                back_edges.append(f"{module} imports {imported}")
    assert back_edges == []


def test_every_module_has_a_place_in_the_order() -> None:
    modules = {
        p.relative_to(BUILDER).parts[0].removesuffix(".py")
        for p in BUILDER.glob("*")
        if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists())
    }
    unplaced = sorted(m for m in modules - {"__init__", "__main__", "theme"} if stage_of(m) < 0)
    assert unplaced == [], "add new modules to ORDER in tests/test_imports.py"
