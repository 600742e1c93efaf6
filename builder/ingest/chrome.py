"""The site's chrome in a page's text: accessibility switches, previous/next links, share
and print buttons, view counters, an empty 附件. A line made only of such words is dropped."""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PHRASES = _words(
    """无障碍 无障碍浏览 长者模式 关怀版 适老版 返回顶部 顶部 返回 返回首页 返回列表 首页
    扫一扫在手机上查看当前页面 扫一扫在手机打开当前页 扫一扫 手机扫一扫 在手机上查看当前页面
    我要纠错 纠错 关闭窗口 关闭本页 关闭 打印本页 打印此页 打印 收藏 加入收藏 分享 分享到
    微信 微博 QQ QQ空间 复制链接 字号 字体 大 中 小 默认 放大 缩小 朗读 语音播报 视力保护色
    保护视力色 TOP 附件下载 领导签字 打印本页 关闭窗口 打印文章 【打印本页】 【关闭窗口】"""
)
_PREFIXES = _words(
    """上一条 下一条 上一篇 下一篇 浏览次数 访问次数 阅读次数 点击数 点击量 浏览量
    访问量 阅读量 字号 字体 分享到 领导签字 签字 当前位置 您当前的位置 您当前位置 您的位置
    您所在的位置 所在位置"""
)
_FOOTER = re.compile(
    r"版权所有|ICP备|ICP证|网站标识码|公网安备|技术支持[:：]|网站地图|Copyright|©|"
    r"建议使用\S*浏览器|分辨率"
)
END_MARKERS = frozenset(
    [
        "相关链接",
        "友情链接",
        "相关文章",
        "相关新闻",
        "相关阅读",
        "相关信息",
        "相关文件",
        "推荐阅读",
        "热点推荐",
    ]
)
_EMPTY_ATTACHMENT = re.compile(r"^[【\[]?(?:相关)?附件[】\]]?[:：]?$")
_SPLIT = re.compile(r"[\s|｜/【】\[\]〔〕()（）·•>»:：]+")
_SPACES = re.compile(r"\s+")


def is_chrome(text: str) -> bool:
    """Whether a line of a page is the site's furniture rather than part of the reply."""
    compact = _SPACES.sub("", text)
    if not compact or compact in PHRASES or _EMPTY_ATTACHMENT.match(compact):
        return True
    if _FOOTER.search(text):
        return True
    if any(_is_labelled(compact, prefix) for prefix in _PREFIXES):
        return True
    words = [word for word in _SPLIT.split(text) if word]
    return bool(words) and all(word in PHRASES for word in words)


def _is_labelled(compact: str, prefix: str) -> bool:
    """`上一条:` / `上一条：关于…` / `浏览次数：12`, but not a sentence that starts so."""
    if not compact.startswith(prefix):
        return False
    rest = compact[len(prefix) :]
    return not rest or rest[0] in ":：" or rest.isdigit()


_SITE_FOOTER = re.compile(
    r"^(?:网站)?主办(?:单位)?[:：]|^(?:网站)?承办(?:单位)?[:：].*(?:中心|办公室)$|版权所有|ICP备|网站标识码|公网安备"
)


def starts_footer(text: str) -> bool:
    """The first line of a site's footer (主办：…, 版权所有, ICP, 网站标识码): the site's own
    address and phone around it are no part of the reply."""
    return bool(_SITE_FOOTER.search(text.strip()))


def ends_article(text: str) -> bool:
    """A line after which the page holds only the site's lists: `相关链接`."""
    return _SPACES.sub("", text).strip("【】[]:：") in END_MARKERS
