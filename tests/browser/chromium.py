"""How headless Chromium is started here: Debian's binary, quiet on the closed network.

Shared by the browser tests, scripts/screenshots.py and benchmarks/search_quality.py.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium floods the closed network with requests of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
