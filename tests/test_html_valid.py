"""Every built page is valid HTML: the Nu Html Checker (npm `vnu-jar`, run with Java) finds
no errors in the sample archive (with and without a base URL), in a reply that uses every
Markdown construct, and in a 200-reply benchmark archive.

vnu-jar comes from npm (`npm ci --ignore-scripts` at the repository root) and needs Java
(Debian's default-jre-headless); without them the tests skip locally and fail in CI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from builder.build import BuildOptions, build
from tests.browser.conftest import cannot_run
from tests.conftest import REPO_ROOT, WriteReply

VNU = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BENCHMARK_REPLIES = 200

EVERY_CONSTRUCT = """\
---
title: 关于对市政协九届四次会议第999号提案的答复
kind: proposal
bureau: 潜江市民政局
published: 2025-07-07 14:40:00
proposers: [马良, 陈可才]
proposer_role: 委员
doc_number: 潜民函〔2025〕99号
tags: [养老服务, 老年助餐]
contacts: {联系人: 吴棣, 电话: "0728-6241234"}
source_url: https://www.example.gov.cn/zwgk/2025/07/07/a-very-long-address-without-breaks.html
---

您提出的《关于进一步推行社区养老模式的建议》收悉,现答复如下:

## 一、基本情况

### (一)助餐

#### 1. 服务点

- 第一项,**加粗**与*强调*;
- 第二项,[原文](https://www.example.gov.cn/a.html)与<b>不是标签</b>;

1. 有序一
2. 有序二

> 引用的一段话。

`代码` 和 [脚本](javascript:alert(1)) 以及 ![图片](https://www.example.gov.cn/a.png)

---

| 项目 | 数量 |
|---|---|
| 助餐点 | 18 |
"""


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    java = shutil.which("java")
    if java is None:
        cannot_run("no Java to run the Nu Html Checker (apt-get install default-jre-headless)")
        raise AssertionError("unreachable")
    if not VNU.is_file():
        cannot_run("vnu-jar is not installed: run `npm ci --ignore-scripts` in the repository root")
    return [java, "-jar", str(VNU)]


def check(vnu: list[str], *folders: Path) -> list[dict[str, Any]]:
    """The checker's errors for every HTML file under the folders (one Java start)."""
    run = subprocess.run(
        [*vnu, "--format", "json", "--skip-non-html", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report: dict[str, Any] = json.loads(run.stderr or run.stdout)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def describe(errors: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m.get('message')} "
        f"[{m.get('extract', '').strip()}]"
        for m in errors[:30]
    )


def built(source: Path, output: Path, base_url: str | None = None) -> Path:
    build(BuildOptions(source=source, output=output, base_url=base_url, search=False))
    assert (output / "index.html").is_file()
    return output


@pytest.mark.slow
def test_the_sample_archive_and_every_markdown_construct_are_valid_html(
    vnu: list[str], tmp_path: Path, archive: Path, write_reply: WriteReply
) -> None:
    shutil.copy(REPO_ROOT / "site.toml", archive / "site.toml")
    for reply in (REPO_ROOT / "content" / "replies").rglob("*.md"):
        write_reply(reply.name, reply.read_text(encoding="utf-8"))
    write_reply("every-construct.md", EVERY_CONSTRUCT)
    folders = [
        built(REPO_ROOT, tmp_path / "sample"),
        built(REPO_ROOT, tmp_path / "with-base-url", "https://example.org/archive/"),
        built(archive, tmp_path / "every-construct"),
    ]
    assert (folders[2] / "replies" / "2025" / "every-construct.html").is_file()
    errors = check(vnu, *folders)
    assert errors == [], describe(errors)


@pytest.mark.slow
def test_the_benchmark_archive_is_valid_html(vnu: list[str], tmp_path: Path) -> None:
    from benchmarks.generate import generate

    source = generate(BENCHMARK_REPLIES, tmp_path / "archive")
    site = built(source, tmp_path / "site")
    assert len(list(site.glob("replies/*/*.html"))) == BENCHMARK_REPLIES
    errors = check(vnu, site)
    assert errors == [], describe(errors)


@pytest.mark.slow
def test_the_checker_reports_invalid_html(vnu: list[str], tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text(
        "<!DOCTYPE html><html lang=zh-CN><title>坏</title><p><div>块</div></span>",
        encoding="utf-8",
    )
    errors = check(vnu, tmp_path)
    assert errors, "the checker found nothing wrong in invalid HTML"
    assert all(m["url"].endswith("bad.html") for m in errors)
