"""The cache never runs what it reads: every cache file is sealed with this machine's secret,
and one planted, truncated or bit-flipped is ignored, made again, and named in one warning."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from builder import files
from builder.build import BuildOptions, BuildReport, build
from builder.build.cache import CACHE_DIR
from builder.build.sealed import MAGIC, machine_secret, seal, secret_path, unseal

Spoil = Callable[[bytes], bytes]


class _Planted:
    """A pickle that, loaded, creates `marker` (what a planted cache file would do)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.marker,))


def _site(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file()
        and "pagefind" not in p.parts
        and p.name != "lock"
        and not p.relative_to(output).as_posix().startswith(".reply-archive/shards/")
    }
    # (Pagefind's bundles, merged in pagefind/ and as it wrote them in shards/, are not the
    # same bytes from one run to the next)


def _cache_files(archive: Path) -> list[Path]:
    return sorted(p for p in (archive / CACHE_DIR).rglob("*") if p.is_file())


def _build(archive: Path) -> BuildReport:
    return build(BuildOptions(source=archive, output=archive / "out"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The sample archive built once, with its cache and its site."""
    root = tmp_path_factory.mktemp("cache")
    repo = Path(__file__).resolve().parents[2]
    archive = root / "archive"
    shutil.copytree(repo / "content", archive / "content")
    shutil.copy(repo / "site.toml", archive / "site.toml")
    _build(archive)
    shutil.copytree(archive, root / "as-built", symlinks=True)
    return archive, _site(archive / "out")


def _copy(built: tuple[Path, dict[str, bytes]], into: Path) -> Path:
    """The archive as first built, in its own place (the cache keys name the output's path)."""
    archive = built[0]
    shutil.rmtree(archive)
    shutil.copytree(archive.parent / "as-built", archive, symlinks=True)
    return archive


@pytest.mark.pagefind
def test_every_kind_of_cache_file_is_sealed(built: tuple[Path, dict[str, bytes]]) -> None:
    archive, _ = built
    names = {p.relative_to(archive / CACHE_DIR).as_posix() for p in _cache_files(archive)}
    for prefix in ("replies-", "slugs.cache", "output-", "search-", "templates/"):
        assert any(name.startswith(prefix) for name in names), prefix
    for path in _cache_files(archive):
        assert path.read_bytes().startswith(MAGIC), path


PLANTS: dict[str, Callable[[bytes, bytes], bytes]] = {
    "a bare pickle": lambda evil, _: evil,
    "a pickle behind the seal's header": lambda evil, _: MAGIC + bytes(32) + evil,
    "a pickle sealed with another machine's secret": lambda evil, _: seal("x", evil, bytes(32)),
    "a pickle appended to a sealed file": lambda evil, sealed: sealed + evil,
}


@pytest.mark.pagefind
@pytest.mark.slow
@pytest.mark.parametrize("how", PLANTS)
def test_a_planted_pickle_in_every_cache_file_never_runs(
    built: tuple[Path, dict[str, bytes]], tmp_path: Path, how: str
) -> None:
    archive = _copy(built, tmp_path)
    marker = tmp_path / "ran"
    evil = pickle.dumps(_Planted(marker))
    files = _cache_files(archive)
    for path in files:
        path.write_bytes(PLANTS[how](evil, path.read_bytes()))
    report = _build(archive)
    assert not marker.exists()
    assert _site(archive / "out") == built[1]
    ignored = [w for w in report.warnings if "cache file" in w.message]
    assert len(ignored) == 1 and f"ignored {len(files)} cache file" in ignored[0].message
    assert not any("cache file" in w.message for w in _build(archive).warnings)  # made again


SPOILS: dict[str, Spoil] = {
    "truncated": lambda data: data[: len(data) // 2],
    "emptied": lambda data: b"",
    "a bit flipped in the contents": lambda data: data[:-1] + bytes([data[-1] ^ 1]),
    "a bit flipped in the seal": lambda data: data[:30] + bytes([data[30] ^ 4]) + data[31:],
}


@pytest.mark.slow
@pytest.mark.pagefind
@pytest.mark.parametrize("how", SPOILS)
def test_a_spoilt_cache_file_is_ignored_with_one_warning(
    built: tuple[Path, dict[str, bytes]], tmp_path: Path, how: str
) -> None:
    archive = _copy(built, tmp_path)
    for index, path in enumerate(_cache_files(archive)):
        if index % 2 == 0 or path.parent.name == "templates":  # every kind, not every file
            path.write_bytes(SPOILS[how](path.read_bytes()))
    shutil.rmtree(archive / "out")  # every page rendered again from what the cache holds
    report = _build(archive)
    assert _site(archive / "out") == built[1]
    assert len([w for w in report.warnings if "cache file" in w.message]) == 1


@pytest.mark.pagefind
def test_one_spoilt_slug_cache_never_moves_pages(
    built: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    archive = _copy(built, tmp_path)
    slugs = archive / CACHE_DIR / "slugs.cache"
    data = bytearray(slugs.read_bytes())
    data[-10] ^= 0x20  # a letter of a slug, as a one-byte change would
    slugs.write_bytes(bytes(data))
    shutil.rmtree(archive / "out")
    _build(archive)
    assert _site(archive / "out") == built[1]


def test_the_secret_is_made_once_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    machine_secret.cache_clear()
    try:
        secret = machine_secret()
        path = secret_path()
        assert path == tmp_path / "xdg" / "reply-archive" / "secret"
        assert secret is not None and path.read_bytes() == secret
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        machine_secret.cache_clear()
        assert machine_secret() == secret
    finally:
        machine_secret.cache_clear()


def test_a_seal_binds_the_contents_to_their_name_and_the_secret() -> None:
    key, other = b"k" * 32, b"o" * 32
    sealed = seal("slugs.cache", b"data", key)
    assert unseal("slugs.cache", sealed, key) == b"data"
    assert unseal("replies-01.cache", sealed, key) is None
    assert unseal("slugs.cache", sealed, other) is None


def test_a_secret_that_could_not_be_written_whole_is_not_left_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))

    def full_disk(handle: int, data: bytes) -> None:
        os.write(handle, data[:3])
        raise OSError(28, "No space left on device")

    machine_secret.cache_clear()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(files, "_write_all", full_disk)
            assert machine_secret() is None
        assert list((tmp_path / "xdg" / "reply-archive").iterdir()) == []
        machine_secret.cache_clear()
        secret = machine_secret()
        assert secret is not None and len(secret) == 32
    finally:
        machine_secret.cache_clear()
