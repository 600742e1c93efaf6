"""The pure classifier of changed paths: which part of an archive a change belongs to."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.serve.changes import ChangeKind, classify, is_temporary

ROOT = Path("/archive")
OUTPUT = ROOT / "output"

CONTENT = ChangeKind.CONTENT
TEMPLATE = ChangeKind.TEMPLATE
STATIC = ChangeKind.STATIC
CONFIG = ChangeKind.CONFIG
OTHER = ChangeKind.OTHER
IGNORED = ChangeKind.IGNORED


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        # replies, in any sub-folder
        ("content/replies/2025/wuhai-hn-35.md", CONTENT),
        ("content/replies/a.md", CONTENT),
        ("content/replies/2025/多级/深.md", CONTENT),
        # the build reads only *.md among the replies
        ("content/replies/2025/notes.txt", IGNORED),
        ("content/replies/2025/a.MD", IGNORED),
        ("content/replies/2025", IGNORED),
        # elsewhere in content/: unknown, so everything may change
        ("content/about.md", OTHER),
        ("content/pages/x.md", OTHER),
        ("content", OTHER),
        ("content/replies", OTHER),
        # the theme's templates and its static files
        ("templates/reply.html", TEMPLATE),
        ("templates/_macros.html", TEMPLATE),
        ("templates/feed.xml", TEMPLATE),
        ("templates/partials/x.html", TEMPLATE),
        ("templates", TEMPLATE),
        ("templates/static/style.css", STATIC),
        ("templates/static/fonts/x.woff2", STATIC),
        ("templates/static", STATIC),
        # the config, only at the top
        ("site.toml", CONFIG),
        ("content/site.toml", OTHER),
        ("templates/site.toml", TEMPLATE),
        # editors' temporary files: vim, emacs, JetBrains, VS Code, gedit, Office
        ("content/replies/2025/.a.md.swp", IGNORED),
        ("content/replies/2025/.a.md.swx", IGNORED),
        ("content/replies/2025/a.md.swp", IGNORED),
        ("content/replies/2025/a.md~", IGNORED),
        ("content/replies/2025/4913", IGNORED),
        ("templates/4913", IGNORED),
        ("4913", IGNORED),
        ("site.toml~", IGNORED),
        ("content/replies/2025/.#a.md", IGNORED),
        ("content/replies/2025/#a.md#", IGNORED),
        ("content/replies/2025/a.md___jb_tmp___", IGNORED),
        ("content/replies/2025/a.md___jb_old___", IGNORED),
        ("templates/reply.html___jb_tmp___", IGNORED),
        ("content/replies/2025/.goutputstream-XYZ12", IGNORED),
        ("content/replies/2025/a.md.tmp", IGNORED),
        ("content/replies/2025/~$a.md", IGNORED),
        ("content/replies/.git/index", IGNORED),
        ("templates/.DS_Store", IGNORED),
        ("templates/static/.hidden.css", IGNORED),
        # the output, its staging folder, the build cache and anything else
        ("output/index.html", IGNORED),
        ("output/replies/2025/a.html", IGNORED),
        ("output", IGNORED),
        ("output/.reply-archive/staging/index.html", IGNORED),
        (".reply-archive-cache/replies.pickle", IGNORED),
        ("README.md", IGNORED),
        ("other/site.toml", IGNORED),
        ("", IGNORED),
    ],
)
def test_classify(path: str, kind: ChangeKind) -> None:
    assert classify(ROOT / path, ROOT, OUTPUT) is kind


def test_paths_outside_the_archive_are_ignored() -> None:
    assert classify(Path("/elsewhere/content/replies/a.md"), ROOT) is IGNORED
    assert classify(Path("/archive-2/site.toml"), ROOT) is IGNORED
    assert classify(Path("/site.toml"), ROOT) is IGNORED


def test_an_output_folder_inside_a_watched_folder_is_still_ignored() -> None:
    output = ROOT / "templates" / "out"
    assert classify(output / "index.html", ROOT, output) is IGNORED
    assert classify(ROOT / "templates" / "outline.html", ROOT, output) is TEMPLATE
    assert classify(ROOT / "templates" / "reply.html", ROOT, output) is TEMPLATE


def test_an_output_folder_outside_the_archive_changes_nothing() -> None:
    assert classify(ROOT / "output" / "x.md", ROOT, Path("/srv/www")) is IGNORED
    assert classify(ROOT / "site.toml", ROOT, Path("/srv/www")) is CONFIG


@pytest.mark.parametrize("name", ["a.md", "reply.html", "2025", "site.toml", "a~b.md", "x#.md"])
def test_ordinary_names_are_not_temporary(name: str) -> None:
    assert not is_temporary(name)
