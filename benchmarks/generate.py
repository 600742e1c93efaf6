"""Generate a synthetic archive of N replies, for benchmarks and browser tests.

    python benchmarks/generate.py 10000 [--out DIR] [--seed S] [--style ordinary]

or, from Python, ``generate(n, out, seed=0, style="importer")``. The archive follows
docs/content-format.md: ``<out>/site.toml`` and one
``<out>/content/replies/<year>/<slug>.md`` per reply.

The replies look like the real ones: about 40 cities and counties, each with 15 bureaus,
suggestions (人大代表建议) and proposals (政协委员提案) from 2018 to 2026, with bodies of
3–9 KB recombined from the sentences of two published replies (place names, figures and
years swapped). Nothing is real: the names of people are drawn from lists, the numbers
are made up, and source links point to the reserved ``.example`` domain.

The proposers come from rosters, as on a real council: each city's and county's 人大 and
政协 has one per term (届), of 300–600 deputies or 400–700 members in a city and fewer in a
county, about a third of them re-elected from the term before. A reply's proposers are
drawn from the roster of its council and term, a few members far more often than the rest
(some never propose anything), its co-signers from the same roster but for the odd name
the roster does not hold.

Two styles of writing: ``importer`` (the default) writes every file as the importer does
(plain YAML with flow lists, bodies of paragraphs and headings); ``ordinary`` writes the
same replies the ways people write them by hand (see ``_Ordinary``): quoted and unquoted
YAML, flow and block lists, comments, CRLF files, full-width indents, lists, emphasis,
links, tables, and the brackets of document numbers (潜财综[2022]30号, 〔〕【】（）).

The same N, seed and style give byte-identical files. The archive folder gets a stamp
(``.generated``) once it is complete; generating the same N and seed into it again does
nothing, so benchmarks and tests can call this freely.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: this checkout's code, not an installed one
    sys.path.insert(0, str(ROOT))

from builder.slugs import slugify  # noqa: E402

# Bump when the output changes on purpose; the stamp also records this file's digest.
GENERATOR_VERSION = 2
STAMP_NAME = ".generated"
DEFAULT_ARCHIVES = Path(__file__).resolve().parent / "archives"
STYLES = ("importer", "ordinary")


def default_archive(n: int, style: str = "importer") -> Path:
    """Where an archive of ``n`` replies goes unless told: archives/n<N>[-<style>]."""
    return DEFAULT_ARCHIVES / (f"n{n}" if style == "importer" else f"n{n}-{style}")


SITE_TOML = """\
title = "答复公开档案(合成数据 {n} 件)"
description = "由 benchmarks/generate.py 生成的合成人大代表建议和政协委员提案答复,仅供测试"
"""

# UTF-8 bytes of a body (everything after the front matter): 3–9 KB.
BODY_MIN = 3 * 1024
BODY_MAX = 9000
_TARGET_LOW = 3400
_TARGET_HIGH = 8500

YEARS = list(range(2018, 2027))
_YEAR_WEIGHTS = [6, 7, 8, 9, 10, 11, 12, 13, 12]

# -- the world: places, bureaus, people -------------------------------------------------

# name, province code, telephone area code
REGIONS: list[tuple[str, str, str]] = [
    ("乌海市", "15", "0473"),
    ("鄂尔多斯市", "15", "0477"),
    ("包头市", "15", "0472"),
    ("赤峰市", "15", "0476"),
    ("潜江市", "42", "0728"),
    ("荆门市", "42", "0724"),
    ("宜昌市", "42", "0717"),
    ("襄阳市", "42", "0710"),
    ("十堰市", "42", "0719"),
    ("黄石市", "42", "0714"),
    ("仙桃市", "42", "0728"),
    ("株洲市", "43", "0731"),
    ("岳阳市", "43", "0730"),
    ("常德市", "43", "0736"),
    ("九江市", "36", "0792"),
    ("赣州市", "36", "0797"),
    ("景德镇市", "36", "0798"),
    ("芜湖市", "34", "0553"),
    ("蚌埠市", "34", "0552"),
    ("安庆市", "34", "0556"),
    ("淮安市", "32", "0517"),
    ("盐城市", "32", "0515"),
    ("昆山市", "32", "0512"),
    ("湖州市", "33", "0572"),
    ("嘉兴市", "33", "0573"),
    ("绍兴市", "33", "0575"),
    ("长兴县", "33", "0572"),
    ("安吉县", "33", "0572"),
    ("泉州市", "35", "0595"),
    ("漳州市", "35", "0596"),
    ("柳州市", "45", "0772"),
    ("桂林市", "45", "0773"),
    ("石嘴山市", "64", "0952"),
    ("遵义市", "52", "0851"),
    ("曲靖市", "53", "0874"),
    ("绵阳市", "51", "0816"),
    ("德阳市", "51", "0838"),
    ("宝鸡市", "61", "0917"),
    ("天水市", "62", "0938"),
    ("洛阳市", "41", "0379"),
    ("开封市", "41", "0371"),
    ("潍坊市", "37", "0536"),
    ("临沂市", "37", "0539"),
    ("正定县", "13", "0311"),
]
_AUTONOMOUS = {"15", "45", "64"}  # 内蒙古, 广西, 宁夏: 自治区 rather than 省
_PASTORAL = {"15"}  # 农牧地区 only make sense in 内蒙古


@dataclass(frozen=True)
class Bureau:
    name: str  # without the place: 民政局
    abbr: str  # in 文号: 乌民复〔2025〕20号
    topic: str  # stands in for the seeds' 养老服务
    work: str  # 民政工作
    tags: tuple[str, ...]
    subjects: tuple[str, ...]  # what the suggestions ask for


BUREAUS: list[Bureau] = [
    Bureau(
        "民政局",
        "民",
        "养老服务",
        "民政",
        ("养老服务", "老年助餐", "社会救助", "社区治理"),
        (
            "多元化养老服务体系",
            "社区养老模式",
            "困难群众救助机制",
            "社区居家养老服务",
            "农村互助养老",
        ),
    ),
    Bureau(
        "教育局",
        "教",
        "教育服务",
        "教育",
        ("义务教育", "学前教育", "职业教育", "校园安全"),
        (
            "城乡义务教育均衡发展",
            "普惠性幼儿园建设",
            "职业教育产教融合",
            "校园周边安全治理",
            "课后托管服务",
        ),
    ),
    Bureau(
        "卫生健康委员会",
        "卫",
        "医疗卫生服务",
        "卫生健康",
        ("基层医疗", "医养结合", "公共卫生", "妇幼健康"),
        (
            "基层医疗卫生服务能力",
            "医养结合服务",
            "家庭医生签约服务",
            "妇幼健康服务体系",
            "院前急救网络",
        ),
    ),
    Bureau(
        "住房和城乡建设局",
        "建",
        "住房保障服务",
        "住房和城乡建设",
        ("老旧小区改造", "住房保障", "物业管理", "城市更新"),
        (
            "老旧小区改造",
            "保障性租赁住房建设",
            "住宅小区物业管理",
            "城市更新行动",
            "既有住宅加装电梯",
        ),
    ),
    Bureau(
        "交通运输局",
        "交",
        "公共交通服务",
        "交通运输",
        ("公共交通", "农村公路", "停车管理", "交通安全"),
        ("城乡公交一体化", "农村公路养护", "城区停车难问题", "定制公交线路", "交通安全设施"),
    ),
    Bureau(
        "人力资源和社会保障局",
        "人社",
        "就业服务",
        "人力资源和社会保障",
        ("就业创业", "技能培训", "社会保险", "劳动权益"),
        (
            "高校毕业生就业",
            "职业技能培训",
            "灵活就业人员社会保险",
            "农民工工资支付保障",
            "创业担保贷款",
        ),
    ),
    Bureau(
        "财政局",
        "财",
        "公共服务",
        "财政",
        ("财政资金", "政府购买服务", "专项债券"),
        ("财政资金绩效管理", "政府购买服务", "专项债券资金使用", "惠民惠农补贴发放"),
    ),
    Bureau(
        "生态环境局",
        "环",
        "环境治理",
        "生态环境",
        ("大气污染防治", "水污染防治", "固体废物", "生态保护"),
        ("大气污染联防联控", "黑臭水体治理", "工业固体废物处置", "生态环境保护督察整改"),
    ),
    Bureau(
        "农业农村局",
        "农",
        "农业社会化服务",
        "农业农村",
        ("乡村振兴", "高标准农田", "农产品质量", "农村人居环境"),
        (
            "乡村振兴",
            "高标准农田建设",
            "农产品质量安全监管",
            "农村人居环境整治",
            "特色农业产业发展",
        ),
    ),
    Bureau(
        "文化和旅游局",
        "文旅",
        "公共文化服务",
        "文化和旅游",
        ("文旅融合", "公共文化服务", "非遗保护", "旅游景区"),
        ("文旅融合发展", "公共文化服务体系", "非物质文化遗产保护", "全域旅游", "乡村旅游"),
    ),
    Bureau(
        "市场监督管理局",
        "市监",
        "市场监管服务",
        "市场监管",
        ("食品安全", "营商环境", "消费维权", "特种设备"),
        ("食品安全监管", "优化营商环境", "消费者权益保护", "电梯安全监管", "校园食品安全"),
    ),
    Bureau(
        "自然资源局",
        "资",
        "自然资源管理",
        "自然资源",
        ("国土空间规划", "耕地保护", "不动产登记"),
        ("国土空间规划编制", "耕地保护", "不动产登记便民服务", "闲置土地盘活利用"),
    ),
    Bureau(
        "水务局",
        "水",
        "供水服务",
        "水务",
        ("供水保障", "防汛抗旱", "河湖治理", "污水处理"),
        ("城乡供水一体化", "防汛排涝能力", "河湖长制", "污水处理设施建设"),
    ),
    Bureau(
        "城市管理综合执法局",
        "城管",
        "城市管理服务",
        "城市管理",
        ("市容环境", "垃圾分类", "占道经营", "城市照明"),
        ("生活垃圾分类", "市容环境整治", "占道经营管理", "城市照明设施"),
    ),
    Bureau(
        "医疗保障局",
        "医保",
        "医疗保障服务",
        "医疗保障",
        ("医保支付", "长期护理保险", "异地就医", "药品集采"),
        ("长期护理保险制度", "异地就医直接结算", "医保支付方式改革", "集采药品进基层"),
    ),
]
GENERAL_TAGS = ("民生实事", "数字政府", "适老化改造", "安全生产")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯"
    "健俊帆帅旭宁龙林欣佳琳晨雪婷倩颖瑶怡可才治良哲恒棣国建文志新海荣德学立东春晓永庆"
)
# two characters each: the street and community names that replace the seeds' own
_PLACES = (
    "东城西城南湖北苑新华人民解放中山文化朝阳长青滨江城关和平光明胜利"
    "青年金山银河龙泉凤凰白云清河桃园锦绣育才花园幸福友谊振兴春晖东风"
)
PLACE_WORDS = tuple(_PLACES[i : i + 2] for i in range(0, len(_PLACES), 2))
_VERBS = (
    "加快完善",
    "进一步推行",
    "进一步加强",
    "持续优化",
    "着力推进",
    "健全完善",
    "切实做好",
    "加大力度推进",
    "全面提升",
    "规范",
)
_OUTCOMES = ("A", "B", "C", "D")
_CN_DIGITS = "零一二三四五六七八九"
_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUWXY"

# -- the text: the two seed replies, one paragraph or sentence a block -------------------
# (wrapped to the line length; the lines of a block are joined without spaces)

_CORPUS = """\
@heading
基本情况

主要做法及对建议的采纳与回应

下一步工作计划

扩大社区养老服务有效供给

推进医养结合向社区、家庭延伸

财政部门助力社区养老服务发展

办理情况

存在的主要困难

下一步工作打算

@subheading
针对养老服务供需矛盾问题

针对养老专业化服务供给不足问题

针对多方合力赋能,提升产业服务能力问题

规划领航,推进老龄事业与产业协同发展

服务提优,筑牢特殊困难老人保障防线

产业赋能,激发银发经济市场消费活力

智慧赋能,提升养老服务精准化水平

加快社区老年食堂试点建设

加快构建社区养老服务网络

创新居家养老服务

加强老年人健康管理

推进老年健康与医养结合服务项目

开展家庭病床服务试点

财政资金投入情况

政府购买服务相关情况

@intro
您在建议中提及的养老服务相关情况与我市养老服务工作实际相符。

乌海市积极顺应人口老龄化发展趋势,致力于构建居家、社区、机构相协调,医养、康养、智慧相结合的养
老服务体系。

在要素保障方面,坚持规划引领,加大财政投入,强化政策与队伍建设,完善保障机制。

以人为本,完善基本养老与长期护理保险制度,筑牢社会保障体系;精准施策,落实老龄补贴、高龄津贴、健
康体检等优待救助政策;资源共享,推进智慧养老服务,加强标准化监管,建设六级社区养老服务设施,发展
老年助餐,落实养老机构扶持政策,完善医养康服务功能。

同时,鼓励社会参与,发展老年志愿服务,完善健身设施,组织文体活动,开展维权宣传。

乌海市积极响应老龄工作指示精神,践行以人民为中心理念,将养老服务体系建设作为增进民生福祉的重要
抓手。

全力推进城市“一刻钟养老服务圈”提质增效,2020年入选全国第五批居家和社区养老服务改革试点城市,20
23年养老服务经验入选全国典型案例,2024年成功承办自治区经验交流会,老年助餐做法入选全国典型,列
入全国基本养老服务综合平台试点地区,整体养老服务水平居自治区前列。

但与人口老龄化发展趋势和群众的需求相比,与周边先进地区相比,我市养老服务工作仍存在一些差距,您
提出的问题切中要害,我们高度重视并将积极改进。

近年来,我局坚持以老年人社区居家养老服务需求为导向,以经济困难的失能、空巢、留守、高龄老年人为
重点,通过政策扶持、社会化运营、深化养老服务供给侧结构性改革,培育养老服务市场,拓展服务内容,提
高服务质量,实现居家和社区养老服务社会化可持续发展,不断提升全市老年人的幸福感和获得感。

@lead
完善规划,匹配供需:采纳建议。

放大优势,打造品牌:采纳建议。

深化改革,提质增效:采纳建议。

大力推广“原居享老”服务模式:采纳建议。

进一步完善“六级六边”养老服务体系:采纳建议。

全力支持养老机构多样化发展:采纳建议。

强化组织领导:采纳建议。

加大多元投入:采纳建议。

重视人才培养:采纳建议。

@body
我市坚持“政府主导、社会参与、全民关怀”的老龄工作方针,将老龄事业和养老服务业纳入国民经济和社
会发展规划,把养老服务设施建设纳入全市国土空间总体规划和各区控制性详规,实现规划、施工、验收、
交付使用“四同步”,初步形成养老服务与城市发展、人口发展相协调的格局。

不断完善“政策搭平台、市场唱主角”的新型养老服务运行机制,出台了《乌海市居家养老服务管理办法》
等一系列扶持养老服务业发展的优惠政策,形成《乌海市养老服务政策及标准化汇编》。

对九类特殊困难老年人实行政府购买居家养老服务,给予助餐补贴,对社区养老服务设施建设运营给予定额
补贴等。

通过政策引导和支持,成功引入市外多家专业养老服务机构,为老年人提供全方位、多层次的养老服务。

同时,结合在编国土空间分区规划和老龄人口规模,科学测算养老服务供需变化,进一步修订完善全市养老
服务设施规划,统筹推进居家、社区、机构养老融合衔接,形成层次清晰、功能互补、区域联动的养老服务
设施供给体系,以缓解普惠性养老服务供需不平衡问题。

依托我市现有产业资源和布局,全面推进“医养+康养+颐养”全周期养老服务模式,打造乌海康养品牌。

通过培育具有地方特色的养老服务品牌,促进银发经济、养老产业高效互动发展,提升我市养老事业产业竞
争力,满足不同层次老年人的养老需求。

加快养老服务业供给侧改革,按照升级一批、托管一批、转型一批的工作思路,进一步推进全市敬老院体制
机制改革。

对2家农村互助幸福院进行提质升级改造,新建乌海市颐养康复中心和精神智障人员社会福利院,目前精神
智障人员社会福利院已经完成施工,待投入使用。

致力于完善公办养老机构的布局,在做好特困人员兜底保障的同时,采用公建民营的方式运营乌海市养护中
心,引入专业养老服务机构进行管理,拓展服务功能,推动我市养老服务水平质量提优。

同时,针对农牧地区老人享受到的公共服务相对滞后问题,在改革过程中将加大对农牧地区养老服务的倾斜
力度,促进区域均衡发展。

进一步深入推进家庭适老化改造,居家养老服务中心(站)为普通居家老年人提供家政服务、生活照料、助
餐助洁、辅助出行、紧急救援等上门服务。

为九类特殊困难老人政府免费实施家庭适老化改造,已为2659户老年人家庭进行了适老化改造,在自治区率
先实现适老化改造基本全覆盖。

推行“家庭养老床位”政府购买服务试点,完善社区医生上门服务制度,为有需求的高龄、失能、残疾居家老
年人提供长期照护、康复护理、陪诊转介等服务。

2024年度全市家庭责任医生签约服务团队由99个增加至131个,全人群签约33.99万人,重点人群签约16.86
万人,签约率92.6%,个性化签约服务包7484个,通过这些举措提升居家养老的专业化服务水平。

根据小区数量、人口密集程度的不同需要,进一步发展社区嵌入式医养照料中心、综合性养老服务中心、
日间照料中心、养老睦邻点等社区养老服务设施网络。

2022年,全市83个社区(村)已建成社区养老服务中心(站)88个,在自治区率先实现了城市、农区养老服务设
施全覆盖,提前三年完成“十四五”规划目标。

在此基础上,以办好2024年全区养老服务现场会为契机,着力打造了一批示范性、多功能社区养老服务设施
,进一步完善了市、区、街道、社区、小区、家庭“六级六边”一体化养老服务设施布局。

并与社区卫生服务中心合作,延伸居家护理、医疗看护、辅具租赁等服务功能,为老年人提供更加便捷、优
质的社区养老服务。

同时,针对现有养老供给缺乏针对不同群体多层次、个性化服务项目的问题,在完善服务体系过程中,将注
重细分老年群体需求,增加个性化服务供给。

大力招引社会资本、社会力量参与建设标准高、功能全、医养融合的养老机构,在土地供应、投融资、费
用减免、人才培养等政策上给予扶持优惠。

盘活存量医疗卫生资源,支持医疗机构利用富余床位或闲置院区,增设养老板块;鼓励社区医疗服务中心和
农牧区乡镇卫生院托管敬老院,满足老人专业化医疗护理和生活照料的服务需求。

通过这些措施,提升养老机构的专业化服务能力,解决养老专业化服务供给不足问题。

完善了党委领导、政府主导、部门负责、社会参与的养老服务工作机制,建立健全了养老服务联席会议制
度。

定期召开联席会议,研究解决养老服务工作中的重大问题,统筹谋划养老服务工作,密切各部门之间的配合,
为养老服务工作扎实推进提供了坚实的组织保障。

后续将持续强化这一机制,确保养老服务工作高效有序开展。

加强财政资金保障,2024年自治区返还盟市福彩公益金中用于养老服务资金支出比例达98.75%。

积极落实全市综合性养老服务中心、社区居家养老服务中心、老年人助餐点、助浴点、睦邻点建设和运营
补贴政策。

同时,鼓励引导国有企业、慈善组织、爱心企业等投入、支持养老行业,拓宽资金来源渠道,为养老服务产
业发展提供充足的资金支持。

建立政府引导、行业参与、校企合作的多方协调培养机制,鼓励市级本地高等院校和职业院校增设养老服
务相关专业。

三年来,通过专业培训机构,对全市养老服务从业人员免费实施养老护理员技能培训,共培训1532人,等级鉴
定571人,支出培训鉴定费77.982万元,为推进养老服务人才队伍的专业化、规范化提供了有力的支撑。

后续将继续加强人才培养力度,培养和引进养老护理、健康管理、康复康养等方面的专业人才,建立职业技
能等级与薪酬待遇挂钩机制,确保专业人才引得进、留得住、干得好,解决养老服务管理人才和护理专业人
员短缺问题。

虽然我市养老服务体系建设取得了一定成效,但还存在老年人消费观念滞后、专业化精准服务不足、银发
经济规模较小、区域发展不平衡等诸多问题。

围绕推进多元化养老服务体系建设,我们将从以下四个方面精准发力。

编制《乌海市老龄事业“十五五”发展规划》,构建“政府主导、市场运作、社会参与”的银发经济发展格局,
培育老年友好型社区示范标杆,推动老龄事业与产业深度融合、协同共进,进一步优化养老服务供需结构,
满足老年人多样化需求。

协调推进《基本养老服务清单》落实落地,保障各项服务精准高效供给;建立特殊困难老人“主动发现—快速
响应”工作机制,整合政府购买服务、家庭医生签约服务、志愿服务等多元资源,切实兜牢民生保障底线,提
升特殊困难老人的养老服务质量和水平。

计划出台《深化养老服务改革发展实施办法》,吸引养老领域头部企业入驻;大力支持旅居康养、临终关怀
等新兴业态发展,年内举办康复辅具展销盛会;联合商务部门开展适老化产品以旧换新补贴活动,推动适老
化产品进社区租赁销售工作,确保补贴政策有效落实,充分激发银发消费市场潜力,促进养老产业多元化发
展。

深化全国综合平台试点工作,完善“1+3 +N”智慧养老服务体系;全面推行养老服务“多卡合一”模式,实现公
交、医疗、文化等场景“一卡通用”;协同推进科技创新应用,建立老年健康大数据中心,提高养老服务的精
准度和针对性,为老年人提供更加便捷、高效的智慧养老服务。

2024年,我局参考周边县市做法,结合本地实际情况,印发了《潜江市老年助餐服务补贴方案(试行)》,着力
构建“中央厨房+老年助餐点+送餐上门服务”等助餐服务模式,构建布局均衡、方便可及的社区老年助餐服
务体系。

2025年,我市新增中心城区社区老年助餐点5个,累计建成18个老年助餐点,切实解决老年人“做饭难”“吃饭
难”问题。

十四五以来,我市累计建成8个养老服务综合体,提升改造9个农村互助照料中心。

今年我市投入资金100万元,建成广华寺街道华美社区养老服务综合体,设置床位29张,划分24小时喘息式照
护床位和老年人日间照料两大功能区,配套休闲娱乐、图书阅览、康复理疗、老年大学分校等功能室,提供
集机构照护、居家养老、社区服务于一体的专业化养老服务。

投入资金30万元,采取以奖代补模式,提档升级农村互助照料中心3个,坚持贴近农村老年人实际需求,开展
生活照料,助餐供应,文化娱乐,简单康复,精神慰籍等基本需求的助老服务。

今年我市投入资金54万元,按照自愿、安全、便利、经济原则,实行一户一档,充分征求意见后制定施工方
案,完成特殊困难老年人适老化改造180户。

创新“智能+居家养老”服务模式,在广华寺街道累计建成家庭养老照护床位200张,通过为老人家中布设智能
化、适老化设施设备,将专业照护服务延伸至家庭场景,有效实现居家老人专业护理与远程健康管理双重保
障,为老年人提供助餐、助洁、助浴、助行、助医等个性化服务。

全面推进家庭医生签约制度,为居家老人提供综合的、连续的、个性化的医疗护理服务,基层医疗卫生机构
对老年居民医疗健康服务实行网格化管理,依托基本公共卫生服务项目,为辖区老年人开展免费体检、保健
咨询、健康指标检测和健康信息管理等服务。

2011年以来,全市所有乡镇卫生院、社区服务中心(站)、村卫生室共同参与,每年对本辖区65岁及以上老年
人提供至少1次健康管理服务。

充分运用信息化平台和技术,使我市老年人健康管理服务全面实现健康档案及服务记录信息电子化、健康
管理个性化、日常监管智能化、签约服务信息化。

确保健康管理服务的真实性、规范性,老年人健康管理率逐年稳步提升。

2024年全市65岁及以上老年人健康管理率达73.27%。

2023年10月,我市启动老年健康与医养结合服务项目。

2024年共为65岁及以上老年人提供血压测量、末梢血血糖测量、康复指导、护理技能指导、保健咨询、营
养改善指导等医养结合服务12.82万人次,上门为1156名65岁及以上失能老年人进行健康评估,并为符合条
件的1128名失能老人及照护者提供健康服务。

2024年11月,我市作为全省三个试点市之一,印发《潜江市家庭病床服务试点工作方案》,启动家庭病床服
务试点工作,即以家庭为治疗护理场所,医护人员定期上门为有建床意愿且符合建床条件的患者提供医疗服
务。

这也是医养结合服务向社区、家庭的进一步延伸。

下一步,我市将持续推进社区医养结合工作,进一步提升老年人看病就医的便利性,促进健康老龄化。

对街道(乡镇)养老服务综合体的投入:2019-2024年,已累计投入财政资金850万元,已建成7个养老服务综合
体,分别位于泰丰街道南荷社区、园林街道建设社区,广华街道广北社区、周矶街道机械社区、园林街道金
陵寺社区、杨市街道鑫阳社区、广华街道广中社区,推动了城乡养老服务的均衡发展。

对农村互助照料中心的投入:2019-2024年,已累计投入财政资金130万元,完成了对1个农村互助照料中心的
新建和8个农村互助照料中心的提档升级,用于完善农村互助养老服务功能,开展集中助餐服务、互助养老
服务。

对特殊困难老年人居家适老化改造的投入:2019年-2024年已累计投入财政资金243万元,实施特殊困难老年
人居家适老化改造773户。

对智慧家庭养老服务的投入:截至目前,财政已投入资金65万元在广华寺街道建设100张家庭养老床位,其中
45万元为床位补助,20万元为家庭床位智慧平台建设。

对老年助餐服务的投入:市财政局会同市民政局协商后,自2024年12月2日起对满足条件的老年助餐补贴、
助餐服务设施建设、助餐服务机构运营补贴给予资金支持,资金来源为省级资金。

市财政局《关于印发〈潜江市市级通用政府购买服务指导性目录(第二版)〉的通知》(潜财综[2022]30号)
文件,已将托养护理服务、托管照料服务、居家养老服务、社区养老服务、机构养老服务纳入政府购买服
务指导性目录,同时按文件规定,各地各部门可结合实际,进一步细化政府购买服务指导性目录的三级目录
后,编制本部门政府购买服务目录,在本部门本单位网站公布,抄送市财政局备案。

@closing
再次感谢您二位对养老服务工作的关心和支持,我们将继续努力,加快完善我市多元化养老服务体系,为老
年人提供更加优质、高效、便捷的养老服务。

下一步我们将认真吸取您所提宝贵建议,持续关注老年人需求变化,进一步探索智慧养老新模式,深化医养
结合服务,加强养老服务标准化建设,推动养老服务产业发展,让老年人享有更优质、更便捷的养老服务。

再次感谢您对我市养老服务事业的关心,感谢您对我们工作的建议和意见,希望您一如既往对民政工作给予
理解和支持。
"""


@dataclass(frozen=True)
class Corpus:
    headings: tuple[str, ...]  # the 一、 sections, without the number
    subheadings: tuple[str, ...]  # the (一) sub-sections, without the number
    intro: tuple[str, ...]  # sentences that open a reply
    leads: tuple[str, ...]  # 完善规划,匹配供需:采纳建议。 — may open a paragraph
    body: tuple[str, ...]  # every other sentence
    closing: tuple[str, ...]  # 再次感谢……


# A paragraph must not open with Markdown syntax: a list marker, a heading, a quote, HTML…
_UNSAFE_START = re.compile(r"^(?:[\s+\-*#>|<\[!_~=`]|\d{1,9}[.)])")


def is_safe_paragraph(text: str) -> bool:
    """Whether ``text`` reads as a plain CommonMark paragraph (no block syntax at its start)."""
    return bool(text) and not _UNSAFE_START.match(text)


def _load_corpus() -> Corpus:
    groups: dict[str, list[str]] = {}
    current: list[str] = []
    for block in _CORPUS.split("\n\n"):
        lines = block.strip("\n").split("\n")
        if lines[0].startswith("@"):
            current = groups.setdefault(lines[0][1:], [])
            lines = lines[1:]
        text = "".join(lines)
        if text and is_safe_paragraph(text):
            current.append(text)
    return Corpus(
        headings=tuple(groups["heading"]),
        subheadings=tuple(groups["subheading"]),
        intro=tuple(groups["intro"]),
        leads=tuple(groups["lead"]),
        body=tuple(groups["body"]),
        closing=tuple(groups["closing"]),
    )


CORPUS = _load_corpus()
_FIRST_HEADINGS = ("基本情况", "办理情况")
_LAST_HEADINGS = ("下一步工作计划", "下一步工作打算")
_MIDDLE_HEADINGS = tuple(h for h in CORPUS.headings if h not in _FIRST_HEADINGS + _LAST_HEADINGS)

# The seeds' own names, each swapped for the reply's: longest first, so 乌海市 beats 乌海.
_SEED_STREETS = ("广华寺街道", "泰丰街道", "园林街道", "广华街道", "周矶街道", "杨市街道")
_SEED_COMMUNITIES = (
    "金陵寺社区",
    "华美社区",
    "南荷社区",
    "建设社区",
    "广北社区",
    "机械社区",
    "鑫阳社区",
    "广中社区",
)
_SWAP_KEYS = (
    ("乌海市", "潜江市", "乌海", "潜江", "潜财综", "市民政局", "市财政局", "民政工作")
    + ("养老服务", "我市", "全市", "市级", "市外", "自治区", "全省", "盟市")
    + ("农牧地区", "农牧区", "您二位")
    + _SEED_STREETS
    + _SEED_COMMUNITIES
)
_SWAP = re.compile("|".join(sorted(_SWAP_KEYS, key=len, reverse=True)))
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _chinese_number(n: int) -> str:
    """1..99 as 一, 十, 十一, 二十三 (for 届 and 次)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Region:
    name: str  # 乌海市
    short: str  # 乌海
    level: str  # 市 or 县
    slug: str  # wuhaishi
    host: str  # wuhai
    province: str  # 15
    area_code: str
    admin_code: str  # six digits, for 索引号
    number_prefix: str  # HN in HN-35, or empty
    npc_term: int  # the 人大's term in 2016–2020
    cppcc_term: int  # the 政协's term in 2016–2020
    credit_codes: bool  # 索引号 from 统一社会信用代码 (else a 9-digit 组织机构代码)


def _build_regions() -> list[Region]:
    rng = random.Random("reply-archive regions")
    regions = []
    seen: set[str] = set()
    for i, (name, province, area_code) in enumerate(REGIONS):
        slug = slugify(name)
        if slug in seen:
            raise ValueError(f"two regions share the slug {slug}")
        seen.add(slug)
        prefix = "".join(rng.choice("ABCDEFGHJKLMNPQRSTWXYZ") for _ in range(2))
        regions.append(
            Region(
                name=name,
                short=name[:-1],
                level=name[-1],
                slug=slug,
                host=slugify(name[:-1]),
                province=province,
                area_code=area_code,
                admin_code=f"{province}{(i % 9) + 1:02d}{rng.randint(2, 30):02d}",
                number_prefix=prefix if i % 3 == 0 else "",
                npc_term=rng.randint(8, 16),
                cppcc_term=rng.randint(7, 13),
                credit_codes=i % 4 != 3,
            )
        )
    return regions


REGION_LIST = _build_regions()
_REGION_WEIGHTS = [1 + (i * 7) % 5 for i in range(len(REGION_LIST))]


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Safe YAML with lists in flow style, as in the documentation: ``tags: [a, b]``."""


def _flow_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(list, _flow_list)


def dump_front_matter(data: dict[str, Any]) -> str:
    """The YAML between the two ``---`` lines (safe: numbers and dates in strings are quoted)."""
    text: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
    return text


# -- who proposes: the councils' rosters ---------------------------------------------------

_ROSTER_SIZES = {
    ("市", "suggestion"): (300, 600),  # a city's 人大 deputies
    ("市", "proposal"): (400, 700),  # a city's 政协 members
    ("县", "suggestion"): (150, 300),
    ("县", "proposal"): (150, 280),
}
_RE_ELECTED = 0.35  # the share of a roster that sat in the term before
_SILENT = 0.2  # the share that never proposes anything
_OFF_ROSTER = 0.05  # a co-signer the roster does not name (a guest, a name as misprinted)


def _person(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _term(region: Region, year: int, kind: str) -> tuple[int, int]:
    """The council's term (届) in `year` and the year it began (terms of five years from
    2016 and 2021, and a new one in 2026)."""
    start = 2016 if year <= 2020 else 2021 if year <= 2025 else 2026
    first = region.npc_term if kind == "suggestion" else region.cppcc_term
    return first + (start - 2016) // 5, start


def _roster_size(rng: random.Random, region: Region, kind: str) -> int:
    low, high = _ROSTER_SIZES[("县" if region.level == "县" else "市", kind)]
    return rng.randint(low, high)


@dataclass(frozen=True)
class Roster:
    """A council's deputies or members in one term, each with how often they propose."""

    names: tuple[str, ...]
    cum_weights: tuple[float, ...]  # running sums of the activity weights, for choices()

    @classmethod
    def draw_up(cls, rng: random.Random, size: int, before: Roster | None) -> Roster:
        kept = () if before is None else before.names
        names = dict.fromkeys(rng.sample(kept, min(len(kept), round(size * _RE_ELECTED))))
        while len(names) < size:
            names[_person(rng)] = None
        total = 0.0
        running = []
        for _ in names:
            # Activity is heavy-tailed: a few members propose a dozen times a term.
            total += 0.0 if rng.random() < _SILENT else rng.paretovariate(2.0)
            running.append(total)
        return cls(tuple(names), tuple(running))

    def draw(self, rng: random.Random, count: int) -> list[str]:
        """`count` different proposers: the first and the co-signers by activity, now and
        then a co-signer from outside the roster."""
        chosen: dict[str, None] = {}
        while len(chosen) < count:
            if chosen and rng.random() < _OFF_ROSTER:
                name = _person(rng)
            else:
                name = rng.choices(self.names, cum_weights=self.cum_weights)[0]
            chosen[name] = None
        return list(chosen)


# -- one reply ---------------------------------------------------------------------------


class _Sentences:
    """Draws sentences from a pool without repeats (reshuffling once the pool runs dry)."""

    def __init__(self, pool: tuple[str, ...], rng: random.Random) -> None:
        self.pool = pool
        self.rng = rng
        self.order: list[int] = []

    def draw(self) -> str:
        if not self.order:
            self.order = list(range(len(self.pool)))
            self.rng.shuffle(self.order)
        return self.pool[self.order.pop()]


class _Writer:
    """The state shared by all replies of an archive: the random source and the counters
    that keep numbers (编号, 文号, 索引号) unique."""

    def __init__(self, seed: int, style: str = "importer") -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.rosters: dict[tuple[str, str, int], Roster] = {}
        # The ordinary style draws from its own source: the replies stay the same.
        self.ordinary = _Ordinary(random.Random(seed + 7919)) if style == "ordinary" else None
        self.numbers: dict[tuple[str, int, str], int] = {}
        self.doc_numbers: dict[tuple[str, int], int] = {}
        self.index_numbers: dict[tuple[str, int, int], int] = {}
        self.slugs: set[str] = set()

    # - names and numbers -

    def person(self) -> str:
        return _person(self.rng)

    def roster(self, region: Region, kind: str, term: int) -> Roster:
        """The deputies (`suggestion`) or members (`proposal`) of `region`'s council in its
        `term`th 届: made once, from a source of its own (the same whatever the order of
        the replies), a third of it carried over from the term before."""
        key = (region.name, kind, term)
        roster = self.rosters.get(key)
        if roster is None:
            first = region.npc_term if kind == "suggestion" else region.cppcc_term
            before = self.roster(region, kind, term - 1) if term > first else None
            rng = random.Random(f"{self.seed} roster {region.slug} {kind} {term}")
            roster = Roster.draw_up(rng, _roster_size(rng, region, kind), before)
            self.rosters[key] = roster
        return roster

    def _next(self, counters: dict[Any, int], key: Any, start: int, step: int) -> int:
        value = counters.get(key)
        value = self.rng.randint(1, start) if value is None else value + self.rng.randint(1, step)
        counters[key] = value
        return value

    def session(self, region: Region, year: int, kind: str) -> str:
        term, start = _term(region, year, kind)
        times = _chinese_number(year - start + 1)
        if kind == "suggestion":
            return f"{region.level}{_chinese_number(term)}届人大{times}次会议"
        return f"{region.level}政协{_chinese_number(term)}届{times}次会议"

    def phone(self, region: Region) -> str:
        local = str(self.rng.randint(2_000_000, 8_999_999))
        if self.rng.random() < 0.5:
            return local
        return f"{region.area_code}-{local}"

    def index_number(self, region: Region, b: int, year: int) -> str:
        serial = self._next(self.index_numbers, (region.name, b, year), 3000, 40)
        if region.credit_codes:
            digest = hashlib.blake2b(f"{region.name}{b}".encode(), digest_size=8).digest()
            middle = f"{int.from_bytes(digest, 'big') % 10**7:07d}"
            check = _CHECK_LETTERS[digest[0] % len(_CHECK_LETTERS)]
            code = f"11{region.admin_code}{b + 1:02d}{middle}{check}"
        else:
            code = f"0{region.admin_code[2:]}{b + 1:02d}{region.admin_code[:2]}"
        return f"{code}/{year}-{serial:05d}"

    # - the reply -

    def reply(self) -> tuple[str, str]:
        """One reply: its path under content/replies and the file's text."""
        rng = self.rng
        region = rng.choices(REGION_LIST, weights=_REGION_WEIGHTS)[0]
        b = rng.randrange(len(BUREAUS))
        bureau = BUREAUS[b]
        year = rng.choices(YEARS, weights=_YEAR_WEIGHTS)[0]
        kind = "suggestion" if rng.random() < 0.55 else "proposal"

        session = self.session(region, year, kind)
        serial = self._next(self.numbers, (region.name, year, kind), 30, 6)
        if kind == "suggestion":
            number = f"{region.number_prefix}-{serial}" if region.number_prefix else str(serial)
            title = f"对{session}第{number}号建议的答复"
            role = "代表"
        else:
            number = str(serial)
            title = f"关于对{session}第{number}号提案的答复"
            role = "委员"
        slug = f"{region.slug}-{year}-{'jianyi' if kind == 'suggestion' else 'tian'}-"
        slug += slugify(number)
        while slug in self.slugs:  # cannot happen while the counters are per slug stem
            slug += "-x"
        self.slugs.add(slug)

        written = dt.date(year, rng.randint(3, 10), rng.randint(1, 28))
        day = written + dt.timedelta(days=rng.randint(1, 50))
        published: dt.date | dt.datetime = day
        if rng.random() < 0.85:
            published = dt.datetime(
                day.year,
                day.month,
                day.day,
                rng.randint(8, 18),
                rng.randint(0, 59),
                rng.randint(0, 59) if rng.random() < 0.7 else 0,
            )

        subject = rng.choice(bureau.subjects)
        ours = "我县" if region.level == "县" else "我市"
        scope = rng.choice((ours, ours, "", "", "城乡")) if "城乡" not in subject else ""
        proposal_title = (
            f"关于{'对' if rng.random() < 0.15 else ''}{rng.choice(_VERBS)}{scope}{subject}的建议"
        )
        count = rng.choices((1, 2, 3, 4, 5), weights=(50, 25, 12, 8, 5))[0]
        roster = self.roster(region, kind, _term(region, year, kind)[0])
        proposers = roster.draw(rng, count)

        front: dict[str, Any] = {
            "title": title,
            "kind": kind,
            "bureau": region.name + bureau.name,
            "published": published,
        }
        if rng.random() < 0.75:
            front["region"] = region.name
        front["session"] = session
        front["number"] = number
        front["proposal_title"] = proposal_title
        front["proposers"] = proposers
        front["proposer_role"] = role
        doc_prefix = f"{region.name[0]}{bureau.abbr}{'复' if rng.random() < 0.8 else '函'}"
        doc_serial = self._next(self.doc_numbers, (doc_prefix, written.year), 20, 5)
        front["doc_number"] = f"{doc_prefix}〔{written.year}〕{doc_serial}号"
        front["index_number"] = self.index_number(region, b, year)
        if rng.random() < 0.9:
            front["category"] = "建议提案" if rng.random() < 0.8 else "其他"
        front["written"] = written
        front["status"] = "有效"
        if rng.random() < 0.85:
            front["outcome"] = rng.choices(_OUTCOMES, weights=(45, 30, 15, 10))[0]
        front["tags"] = self.tags(bureau)
        if rng.random() < 0.5:
            contacts = {"分管领导": self.person(), "联系人": self.person()}
            if rng.random() < 0.2:
                del contacts["分管领导"]
            contacts["电话"] = self.phone(region)
            front["contacts"] = contacts
        if rng.random() < 0.7:
            front["source_url"] = (
                f"https://www.{region.host}.gov.example/zwgk/jyta/{year}/{slug}.html"
            )

        body = self.body(region, bureau, year, proposal_title, role, count)
        if self.ordinary is not None:
            return f"{published.year}/{slug}.md", self.ordinary.reply(front, body)
        text = f"---\n{dump_front_matter(front)}---\n\n{body}"
        return f"{published.year}/{slug}.md", text

    def tags(self, bureau: Bureau) -> list[str]:
        """2–5 tags: mostly the bureau's own, sometimes a general one."""
        rng = self.rng
        count = rng.randint(2, 5)
        general = min(rng.choice((0, 0, 1, 1, 2)), count - 1)
        own = min(len(bureau.tags), count - general)
        return rng.sample(bureau.tags, own) + rng.sample(GENERAL_TAGS, count - own)

    def body(
        self, region: Region, bureau: Bureau, year: int, proposal_title: str, role: str, count: int
    ) -> str:
        rng = self.rng
        county = region.level == "县"
        autonomous = region.province in _AUTONOMOUS
        streets = rng.sample(PLACE_WORDS, len(_SEED_STREETS) + len(_SEED_COMMUNITIES))
        swaps = {
            "乌海市": region.name,
            "潜江市": region.name,
            "乌海": region.short,
            "潜江": region.short,
            "潜财综": f"{region.name[0]}财综",
            "市民政局": f"{region.level}{bureau.name}",
            "市财政局": f"{region.level}财政局",
            "民政工作": f"{bureau.work}工作",
            "养老服务": bureau.topic,
            "我市": "我县" if county else "我市",
            "全市": "全县" if county else "全市",
            "市级": "县级" if county else "市级",
            "市外": "县外" if county else "市外",
            "自治区": "自治区" if autonomous else "全省",
            "全省": "全区" if autonomous else "全省",
            "盟市": "盟市" if region.province in _PASTORAL else "市县",
            "农牧地区": "农牧地区" if region.province in _PASTORAL else "农村地区",
            "农牧区": "农牧区" if region.province in _PASTORAL else "农村",
            "您二位": "您" if count == 1 else "您二位" if count == 2 else f"各位{role}",
        }
        for i, seed_name in enumerate(_SEED_STREETS):
            swaps[seed_name] = streets[i] + "街道"
        for i, seed_name in enumerate(_SEED_COMMUNITIES):
            swaps[seed_name] = streets[len(_SEED_STREETS) + i] + "社区"
        shift = year - 2025  # the seeds were written in 2025

        def number(match: re.Match[str]) -> str:
            text = match.group()
            start, end = match.span()
            source = match.string
            after = source[end : end + 2]
            before = source[start - 1 : start] if start else ""
            whole, _, decimals = text.partition(".")
            value = int(whole)
            year_like = (after and after[0] in "年-]〕") or (before and before in "-[〔")
            if not decimals and 1990 <= value <= 2030 and year_like:
                return str(value + shift)
            if after.startswith("月"):
                return str(rng.randint(1, 12))
            if after.startswith("日"):
                return str(rng.randint(1, 28))
            if after.startswith(("岁", "小时")) or (value < 10 and not decimals):
                return text
            if after.startswith("%"):
                return f"{rng.uniform(55, 99.5):.{len(decimals)}f}"
            scaled = float(text) * rng.uniform(0.4, 2.5)
            if decimals:
                return f"{scaled:.{len(decimals)}f}"
            return str(max(10, round(scaled)))

        def swap(text: str) -> str:
            return _NUMBER.sub(number, _SWAP.sub(lambda m: swaps[m.group()], text))

        return _compose(rng, swap, proposal_title, count)


def _compose(
    rng: random.Random, swap: Callable[[str], str], proposal_title: str, count: int
) -> str:
    """The Markdown body: opening, optional intro, 一、 sections with (一) sub-sections,
    closing. Its size is drawn between 3 and 9 KB and met within a sentence."""
    target = rng.randint(_TARGET_LOW, _TARGET_HIGH)
    you = "您" if count == 1 else "您们"
    received = "已收悉" if rng.random() < 0.3 else "收悉"
    # items: a heading (str) or a paragraph (list of sentences)
    items: list[str | list[str]] = [[f"{you}提出的《{proposal_title}》{received},现答复如下:"]]
    closing_pool = _Sentences(CORPUS.closing, rng)
    closing = [swap(closing_pool.draw()) for _ in range(rng.choice((1, 1, 2)))]

    intro = _Sentences(CORPUS.intro, rng)
    if rng.random() < 0.6:
        items.append([swap(intro.draw()) for _ in range(rng.randint(2, 4))])

    # Plan the sections: a block is where paragraphs go (a section without sub-sections,
    # or one sub-section); about one block per 1.1 KB.
    blocks_wanted = max(2, min(9, target // 1100))
    middle = list(_MIDDLE_HEADINGS)
    rng.shuffle(middle)
    sections: list[tuple[str, int]] = []
    blocks = 0
    subheadings = _Sentences(CORPUS.subheadings, rng)
    while blocks < blocks_wanted:
        subs = rng.choice((0, 0, 2, 2, 3, 4))
        subs = min(subs, blocks_wanted - blocks) if subs else 0
        subs = 0 if subs == 1 else subs
        heading = middle.pop() if middle else subheadings.draw()
        sections.append((heading, subs))
        blocks += max(1, subs)
    if rng.random() < 0.4:
        sections[0] = (rng.choice(_FIRST_HEADINGS), sections[0][1])
    if len(sections) > 1 and rng.random() < 0.6:
        sections[-1] = (rng.choice(_LAST_HEADINGS), sections[-1][1])

    def size_of(item: str | list[str]) -> int:
        text = item if isinstance(item, str) else "".join(item)
        return len(text.encode()) + 2  # and the blank line after it

    size = sum(size_of(item) for item in items) + size_of(closing)
    # headings count up front too, so the paragraphs share what is left evenly
    heading_lines: list[list[str]] = []
    for n, (heading, subs) in enumerate(sections):
        lines = [f"## {_chinese_number(n + 1)}、{swap(heading)}"]
        lines += [f"### ({_chinese_number(k + 1)}){swap(subheadings.draw())}" for k in range(subs)]
        heading_lines.append(lines)
        size += sum(size_of(line) for line in lines)
    share = max(0, target - size) / blocks

    body = _Sentences(CORPUS.body, rng)
    leads = _Sentences(CORPUS.leads, rng)
    paragraphs: list[list[str]] = []  # the body paragraphs, for the final adjustment
    goal = float(size)
    for (_, subs), lines in zip(sections, heading_lines, strict=True):
        items.append(lines[0])
        for k in range(max(1, subs)):
            if subs:
                items.append(lines[k + 1])
            goal += share
            first = True
            while first or size < goal:
                paragraph = _paragraph(rng, body, leads, swap)
                length = rng.randint(1, 5)
                while len(paragraph) < length and size + size_of(paragraph) < goal:
                    paragraph.append(swap(body.draw()))
                items.append(paragraph)
                paragraphs.append(paragraph)
                size += size_of(paragraph)
                first = False
    items.append(closing)

    # Hold the size within bounds: drop or add whole sentences.
    size -= 1  # the last item ends with one newline, not a blank line
    while size > BODY_MAX:
        paragraph = max(paragraphs, key=len)
        if len(paragraph) == 1:
            break
        size -= len(paragraph.pop().encode())
    while size < BODY_MIN:
        sentence = swap(body.draw())
        paragraphs[-1].append(sentence)
        size += len(sentence.encode())
    return "\n\n".join(item if isinstance(item, str) else "".join(item) for item in items) + "\n"


def _paragraph(
    rng: random.Random, body: _Sentences, leads: _Sentences, swap: Callable[[str], str]
) -> list[str]:
    """A new paragraph's first sentence: sometimes a 完善规划,…:采纳建议。 lead."""
    while True:
        first = swap(leads.draw() if rng.random() < 0.25 else body.draw())
        if is_safe_paragraph(first):
            return [first]


# -- the ordinary style --------------------------------------------------------------------

_ORDINARY_TABLE_ROWS = ("项目", "2022年", "2023年", "2024年")
_ORDINARY_BRACKETS = (
    "（{prefix}〔{year}〕{n}号）",
    "{prefix}[{year}]{n}号",
    "【{prefix}〔{year}〕{n}号】",
    "({prefix}[{year}]{n}号)",
)
_ORDINARY_DOCS = ("实施意见", "工作方案", "管理办法", "通知", "若干措施")
_ORDINARY_KEYS_QUOTED = ("title", "session", "proposal_title", "doc_number", "source_url")


class _Ordinary:
    """Writes a reply as people write one by hand, from the importer's front matter and
    body: each choice is drawn per file, so an archive mixes them all."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def reply(self, front: dict[str, Any], body: str) -> str:
        rng = self.rng
        text = f"---\n{self.front_matter(front)}---\n\n{self.body(body)}"
        if rng.random() < 0.3:
            text = text.replace("\n", "\r\n")
        if rng.random() < 0.05:
            text = "\ufeff" + text
        return text

    # - front matter -

    def front_matter(self, front: dict[str, Any]) -> str:
        rng = self.rng
        quote = rng.choice(("", "", '"', "'"))  # this writer's habit, not always kept
        lines = ["# 答复件信息"] if rng.random() < 0.15 else []
        for key, value in front.items():
            if isinstance(value, dict):
                lines.append(f"{key}:")
                indent = " " * rng.choice((2, 2, 4))
                lines += [f"{indent}{k}: {self.scalar(v, quote)}" for k, v in value.items()]
            elif isinstance(value, list):
                lines += self.sequence(key, value, quote)
            else:
                line = f"{key}: {self.scalar(value, quote, key)}"
                if rng.random() < 0.03:
                    line += "  # 以正式文件为准"
                lines.append(line)
        return "\n".join(lines) + "\n"

    def sequence(self, key: str, items: list[Any], quote: str) -> list[str]:
        rng = self.rng
        form = rng.random()
        if form < 0.4:
            return [f"{key}: [{', '.join(self.scalar(v, quote) for v in items)}]"]
        if form < 0.5:
            return [f"{key}: [{','.join(self.scalar(v, quote) for v in items)}]"]
        if len(items) == 1 and form < 0.6:
            return [f"{key}: {self.scalar(items[0], quote)}"]  # one name, no list
        indent = rng.choice(("", "  ", "  "))
        return [f"{key}:"] + [f"{indent}- {self.scalar(v, quote)}" for v in items]

    def scalar(self, value: Any, quote: str, key: str = "") -> str:
        rng = self.rng
        if isinstance(value, dt.datetime):
            # With seconds always: Hugo, built beside us on the same files, reads no other.
            text = value.strftime("%Y-%m-%d %H:%M:%S")
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = str(value)
        if isinstance(value, dt.date):
            mark = rng.choice(("", "", '"', "'"))
            return f"{mark}{text}{mark}"
        mark = quote if rng.random() < 0.8 else rng.choice(("", '"', "'"))
        if key in _ORDINARY_KEYS_QUOTED and rng.random() < 0.3:
            mark = '"'
        if not mark and not _reads_as_text(text):
            mark = "'"
        if mark == '"':
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if mark == "'":
            return "'" + text.replace("'", "''") + "'"
        return text

    # - body -

    def body(self, body: str) -> str:
        rng = self.rng
        blocks = body.rstrip("\n").split("\n\n")
        indent = rng.random() < 0.25  # paragraphs indented with two full-width spaces
        ascii_parens = rng.random() < 0.4
        out: list[str] = []
        for block in blocks:
            if block.startswith("#"):
                out.append(self.heading(block, ascii_parens))
                continue
            out.append(self.paragraph(block, indent))
        if rng.random() < 0.2:
            at = rng.randrange(1, len(out) + 1)
            out.insert(at, self.table())
        return "\n\n".join(out) + rng.choice(("\n", "\n", "\n\n", ""))

    def heading(self, block: str, ascii_parens: bool) -> str:
        rng = self.rng
        marks, _, title = block.partition(" ")
        if not ascii_parens:
            title = title.replace("(", "（").replace(")", "）")
        form = rng.random()
        if form < 0.1:
            return f"**{title}**"  # a heading written as a bold line
        if form < 0.15:
            return title
        if form < 0.2:
            return f"{marks} {title} {marks}"
        return f"{marks} {title}"

    def paragraph(self, block: str, indent: bool) -> str:
        rng = self.rng
        sentences = [s + "。" for s in block.split("。") if s]
        if not block.endswith("。") and sentences:
            sentences[-1] = sentences[-1][:-1]
        form = rng.random()
        if len(sentences) >= 3 and form < 0.15:
            return self.listing(sentences)
        sentences = [self.sentence(s) for s in sentences]
        if rng.random() < 0.1 and len(sentences) > 1:
            at = rng.randrange(1, len(sentences))
            sentences[at] = "\n" + sentences[at]  # a line broken by hand
        text = "".join(sentences)
        return ("\u3000\u3000" + text) if indent else text

    def listing(self, sentences: list[str]) -> str:
        rng = self.rng
        marker = rng.choice(("- ", "* ", "1. ", "（1）", "1)"))
        lines = []
        for n, sentence in enumerate(sentences, 1):
            item = self.sentence(sentence)
            if marker == "1. ":
                lines.append(f"{n}. {item}")
            elif marker == "1)":
                lines.append(f"{n}) {item}")
            elif marker == "（1）":
                lines.append(f"（{n}）{item}")
            else:
                lines.append(marker + item)
        return ("\n\n" if rng.random() < 0.2 else "\n").join(lines)

    def sentence(self, sentence: str) -> str:
        rng = self.rng
        draw = rng.random()
        if draw < 0.08 and "，" in sentence:
            head, _, tail = sentence.partition("，")
            if head and head[-1].isalnum() and head[0].isalnum():
                return f"**{head}**，{tail}"
        if draw < 0.12:
            doc = rng.choice(_ORDINARY_DOCS)
            url = f"https://www.gov.example/zwgk/{rng.randint(1000, 9999)}.html"
            return f"按照[《关于进一步做好相关工作的{doc}》]({url})要求，{sentence}"
        if draw < 0.2:
            number = rng.choice(_ORDINARY_BRACKETS).format(
                prefix=rng.choice(("潜财综", "鄂民发", "宜政办", "湘财预")),
                year=rng.randint(2015, 2025),
                n=rng.randint(1, 120),
            )
            return f"根据{number}文件精神，{sentence}"
        if draw < 0.23:
            return sentence.replace("。", "（详见附件）。", 1)
        if draw < 0.25:
            return sentence + "（*注：数据截至年底*）"
        return sentence

    def table(self) -> str:
        rng = self.rng
        head = "| " + " | ".join(_ORDINARY_TABLE_ROWS) + " |"
        rule = "|" + "|".join("---" for _ in _ORDINARY_TABLE_ROWS) + "|"
        rows = []
        for name in ("财政投入（万元）", "服务人次", "覆盖率"):
            cells = [f"{rng.uniform(10, 999):.1f}" for _ in _ORDINARY_TABLE_ROWS[1:]]
            rows.append(f"| {name} | " + " | ".join(cells) + " |")
        return "\n".join([head, rule, *rows])


def _reads_as_text(text: str) -> bool:
    """Whether YAML reads ``text`` unquoted as this same text."""
    try:
        return yaml.load(f"k: {text}", Loader=_TEXT_LOADER) == {"k": text}
    except yaml.YAMLError:
        return False


_TEXT_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# -- the archive ---------------------------------------------------------------------------


def _stamp(n: int, seed: int, complete: bool = True, style: str = "importer") -> dict[str, Any]:
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    stamp = {
        "generator": GENERATOR_VERSION,
        "source": digest,
        "n": n,
        "seed": seed,
        "complete": complete,
    }
    if style != "importer":
        stamp["style"] = style
    return stamp


def _read_stamp(out: Path) -> dict[str, Any] | None:
    try:
        found = json.loads((out / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def is_generated(out: Path, n: int, seed: int = 0, style: str = "importer") -> bool:
    """Whether ``out`` already holds the complete archive of ``n`` replies and ``seed``."""
    return _read_stamp(Path(out)) == _stamp(n, seed, style=style)


def iter_replies(n: int, seed: int = 0, style: str = "importer") -> Iterator[tuple[str, str]]:
    """The ``n`` replies one by one: (path under content/replies, file text)."""
    writer = _Writer(seed, style)
    for _ in range(n):
        yield writer.reply()


def generate(n: int, out: Path, seed: int = 0, style: str = "importer") -> Path:
    """Write the archive of ``n`` replies into ``out`` (unless it is there) and return it."""
    out = Path(out)
    if n < 0:
        raise ValueError("the number of replies cannot be negative")
    if style not in STYLES:
        raise ValueError(f"no style {style!r}: choose one of {', '.join(STYLES)}")
    if is_generated(out, n, seed, style):
        return out
    stamp = out / STAMP_NAME
    replies = out / "content" / "replies"
    # Only ever clear a folder this script made (it has a stamp, complete or not).
    if _read_stamp(out) is None and (
        (out / "site.toml").exists() or (replies.exists() and any(replies.iterdir()))
    ):
        raise FileExistsError(f"{out} holds an archive this script did not generate")
    out.mkdir(parents=True, exist_ok=True)
    _write_stamp(stamp, _stamp(n, seed, complete=False, style=style))
    if replies.exists():
        shutil.rmtree(replies)
    replies.mkdir(parents=True)
    (out / "site.toml").write_bytes(SITE_TOML.format(n=n).encode())
    made: set[str] = set()
    for relative, text in iter_replies(n, seed, style):
        path = replies / relative
        if path.parent.name not in made:
            path.parent.mkdir(exist_ok=True)
            made.add(path.parent.name)
        path.write_bytes(text.encode())
    _write_stamp(stamp, _stamp(n, seed, style=style))
    return out


def _write_stamp(path: Path, stamp: dict[str, Any]) -> None:
    path.write_text(json.dumps(stamp, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("n", type=int, help="how many replies")
    parser.add_argument("--out", type=Path, help="the archive folder (default: archives/n<N>)")
    parser.add_argument("--seed", type=int, default=0, help="the random seed (default: 0)")
    parser.add_argument(
        "--style", choices=STYLES, default="importer", help="how files are written (see above)"
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N cannot be negative")
    out: Path = args.out if args.out is not None else default_archive(args.n, args.style)
    if is_generated(out, args.n, args.seed, args.style):
        print(f"{out}: already holds {args.n} replies (seed {args.seed})")
        return 0
    started = time.perf_counter()
    try:
        generate(args.n, out, args.seed, args.style)
    except FileExistsError as error:
        print(f"generate.py: {error}; choose another --out", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(f"{out}: {args.n} replies (seed {args.seed}) in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
