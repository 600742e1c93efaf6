"""Write builder/divisions.tsv, China's administrative divisions (code, name), from the
national code list as the `cpca` package ships it (MIT; resources/adcodes.csv, from the
National Bureau of Statistics' 统计用区划代码).

    pip download cpca==0.5.5 --no-deps -d /tmp/cpca && unzip -q /tmp/cpca/*.whl -d /tmp/cpca
    python scripts/divisions.py /tmp/cpca/cpca/resources/adcodes.csv

Only province, prefecture and county levels are kept (codes ending in 000000), without the
placeholders (市辖区, 县, 省直辖县级行政区划) that name no place.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "builder" / "divisions.tsv"
PLACEHOLDERS = {"市辖区", "县", "郊区", "矿区"} | {f"{w}直辖县级行政区划" for w in ("省", "自治区")}


def main(adcodes: Path) -> None:
    rows = []
    with adcodes.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"].strip(), row["name"].strip()
            if code.endswith("000000") and name and name not in PLACEHOLDERS:
                rows.append((code[:6], name))
    lines = [f"{code}\t{name}\n" for code, name in sorted(set(rows))]
    OUT.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {len(lines)} divisions to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
