"""Unit names: normalise them and attach a section heading's name to the table's.

variants §6: the score table prints `浉河区`; a section heading may print the
same unit longer (`信阳市浉河区`), with a qualifier in brackets, or with an OCR
slip (`浞河区`).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from parsers.normalize import squash

# Compiled once: the regex module looks string patterns up in a slow cache on every call.
_TRAILING_QUALIFIER = regex.compile(r"[（(][^）)]*[）)]$")

# Endings of administrative and organisational unit names (variants §6).
UNIT_SUFFIXES = (
    "自治县",
    "自治旗",
    "新区",
    "管理区",
    "开发区",
    "高新区",
    "示范区",
    "功能区",
    "经开区",
    "度假区",
    "风景区",
    "街道",
    "社区",
    "居委会",
    "村委会",
    "办事处",
    "县",
    "区",
    "市",
    "旗",
    "镇",
    "乡",
    "村",
    "场",
    "局",
    "委",
    "办",
    "厅",
    "院",
    "部",
    "中心",
    "公司",
    "集团",
    "站",
    "所",
    "队",
    "支队",
    "大队",
    "园区",
    # Schools, graded and ranked like offices (fd-11 `优秀等次（8所）：池州市第一中学、…`); colleges, hospitals
    # and health centres end in 院, Party branches and committees in 部 / 委 above.
    "学校",
    "中学",
    "小学",
    "幼儿园",
    # Zones run by an administrative committee (`县经济开发区管委会`, fresh-H).
    "管委会",
    "管理委员会",
    # A city's supply-and-marketing co-operative is ranked with its departments (v01 `市供销社`).
    "供销社",
    "供销合作社",
)
_UNIT_LIKE = regex.compile(r"^[\p{Han}（）()·]{1,24}$")


def unit_key(name: str) -> str:
    """The unit as compared: whitespace removed, bracketed qualifiers kept."""
    return squash(name)


def looks_like_unit(name: str) -> bool:
    """A plausible unit name: short, Chinese, ending like a place or an office."""
    name = squash(name)
    return bool(_UNIT_LIKE.match(name)) and 2 <= len(name) <= 24 and name.endswith(UNIT_SUFFIXES)


@dataclass(frozen=True, slots=True)
class UnitMatch:
    unit: str
    exact: bool  # False for a one-character slip (`浞河区` for `浉河区`): attached, but uncertain


def match_unit(name: str, known: list[str]) -> UnitMatch | None:
    """Attach a printed name to one of the document's known units, or None.

    Exact, then `信阳市浉河区` ⊃ `浉河区` (city prefix, longest known unit wins), then a
    name that differs from exactly one known unit in one character of the same length
    (an OCR or typing slip: `浞河区` for `浉河区`) — that last one is uncertain.
    """
    key = unit_key(name)
    if not key:
        return None
    if key in known:
        return UnitMatch(key, True)
    stripped = _TRAILING_QUALIFIER.sub("", key)
    if stripped in known:
        return UnitMatch(stripped, True)
    ends = [k for k in known if len(k) >= 2 and key.endswith(k)]
    if ends:
        return UnitMatch(max(ends, key=len), True)
    # The table prints the longer name (`信阳市浉河区`) and the section the short one (`浉河区`).
    longer = [k for k in known if len(key) >= 2 and k.endswith(key)]
    if len(longer) == 1:
        return UnitMatch(longer[0], True)
    inside = [k for k in known if len(k) >= 2 and k in key]
    if len(inside) == 1:
        return UnitMatch(inside[0], True)
    near = [
        k
        for k in known
        if len(k) == len(key) and sum(a != b for a, b in zip(k, key, strict=True)) == 1 and k[-1] == key[-1]
    ]
    if len(near) == 1:
        return UnitMatch(near[0], False)
    return None
