"""Regions read against the national list of administrative divisions."""

from __future__ import annotations

import pytest

from builder.places import divisions, region_of


@pytest.mark.parametrize(
    ("bureau", "region"),
    [
        ("杭州市市场监督管理局", "杭州市"),
        ("西湖区市场监督管理局", "西湖区"),
        ("桐庐县城市管理局", "桐庐县"),
        ("县城市管理局", ""),
        ("市教育局", ""),
        ("湖北省潜江市民政局", "潜江市"),
        ("湖北省民政厅", "湖北省"),
        ("内蒙古自治区民政厅", "内蒙古自治区"),
        ("新疆维吾尔自治区乌鲁木齐市教育局", "乌鲁木齐市"),
        ("吉林省吉林市民政局", "吉林市"),
        ("达尔罕茂明安联合旗教育局", "达尔罕茂明安联合旗"),
        ("浦东新区生态环境局", "浦东新区"),
        ("北京市海淀区卫生健康委员会", "北京市"),
        ("杭州钱塘新区管理委员会", "杭州市"),
        ("某某县农业农村局", "某某县"),  # not in the list: by rule
        ("民政局", ""),
    ],
)
def test_region_of_a_bureau(bureau: str, region: str) -> None:
    assert region_of(bureau) == region


def test_the_list_is_the_national_one() -> None:
    names = divisions()
    assert len(names) > 3000
    assert {"桐庐县", "潜江市", "西湖区", "北京市", "广西壮族自治区"} <= names
    assert "市辖区" not in names
