"""Deductions stated in running prose, outside any unit's section, naming their units as subjects.

Inspection circulars often state what each unit lost inside a paragraph, several units to a
sentence (gold set x):

    青石镇、白沙镇集镇主街有占道经营现象，各扣1分；双桥镇农贸市场周边垃圾未及时清运，扣1.5分。
    东浦镇、南港镇、西塘镇部分河段岸坡有垃圾，分别扣2分、1.5分、1分。
    暗访发现问题及扣分情况如下：城关镇因…扣2分，河西镇因…扣1.5分；北坡镇、东岗镇因…各扣0.5分。

No number without structure: a clause is read only when it opens with units of the score table
(`known`) and closes with its amount; several units take one amount only with 各 (each) or one
amount apiece with 分别 (respectively). A clause that names several units without either, or
whose 分别 amounts do not match its units, is an unread block; so is a clause of bare names with
several amounts (`青石镇、白沙镇分别扣2分、1分、3分。`), which names no problem. A clause holding another number of
points (a score, `考评87分，加分0.8分`) or a comparison (`较上月增加1.5分`) is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import regex

from parsers.entries import Entry, parse_entry
from parsers.model import Line, UnreadBlock
from parsers.numbers import UNSIGNED_DECIMAL

_NUM = UNSIGNED_DECIMAL
# The amount that closes a clause: `，各扣1分；`, `扣2分，`, `分别扣2分、1.5分、1分。`.
_CLAUSE_AMOUNT = regex.compile(
    rf"(?P<each>各|分别|均)?(?P<word>扣除|扣减|扣|减|加)\s*(?P<values>{_NUM}\s*分(?:\s*、\s*{_NUM}\s*分?)*)\s*(?:[，,；;。]|$)"
)
_VALUE = regex.compile(_NUM)
# A lead-in before the first subject: `暗访发现问题及扣分情况如下：`, a sentence before it.
_LEAD_IN_END = regex.compile(r"[：:。；;]")
_OTHER_POINTS = regex.compile(rf"{_NUM}\s*分")
# A list's label before a clause's first unit (`（一）凤岗镇获评…，加1分。`, `；（2）南山街道…，加1分`):
# a 加分 section numbers its lines across units (gold set u: u03, u11); the label is the line's place,
# not a rubric item, so the entry cites none.
_LIST_LABEL = regex.compile(
    r"\s*(?:[（(](?:[一二三四五六七八九十]{1,3}|\d{1,2})[）)]|[\u2460-\u2473]|\d{1,2}[.．、](?!\d))\s*"
)
_COMPARISON = regex.compile(r"(?:较|比|与)(?:上|去|前|同期|往)|同比|环比|增加|减少|提高|下降")
_JOINERS = ("、", "和", "及", "与")


@dataclass(slots=True)
class ProseEntries:
    entries: list[tuple[str, Entry]] = field(default_factory=list)
    """(unit, entry) of each clause read."""
    unread: list[UnreadBlock] = field(default_factory=list)


# A place inside a unit named with it (`白沙镇河口村、双桥镇桥头村…各扣0.5分`, x01): the unit is the subject.
_SUB_PLACE = regex.compile(r"\p{Han}{2,6}?(?:村|社区)")


def subjects_of(text: str, known: list[str]) -> tuple[list[str], int]:
    """The units of `known` the text opens with (`甲镇、乙镇…`, `甲镇某村、乙镇某村…`), and where the
    rest begins."""
    names: list[str] = []
    at = 0
    ordered = sorted(known, key=len, reverse=True)
    with_places = False
    while True:
        name = next((unit for unit in ordered if text.startswith(unit, at)), None)
        if name is None:
            break
        names.append(name)
        at += len(name)
        place = _SUB_PLACE.match(text, at)
        # A place is taken with its unit inside a list of units, and after the list's last unit
        # when the others had theirs; never alone (`马岭镇村庄保洁…` is 马岭镇's own sentence).
        if place is not None and (_lists_unit_at(text, place.end(), ordered) or with_places):
            at, with_places = place.end(), True
        if _lists_unit_at(text, at, ordered):
            at += 1
            continue
        break
    return names, at


def _lists_unit_at(text: str, at: int, ordered: list[str]) -> bool:
    return text.startswith(_JOINERS, at) and any(text.startswith(u, at + 1) for u in ordered)


def prose_entries(line: Line, known: list[str]) -> ProseEntries:
    """The deductions and bonuses a prose line states for the units it names as subjects."""
    out = ProseEntries()
    text = line.text
    if not known or "分" not in text:
        return out
    previous_end = 0
    for match in _CLAUSE_AMOUNT.finditer(text):
        clause_start, previous_end = previous_end, match.end()
        lead = list(_LEAD_IN_END.finditer(text, clause_start, match.start()))
        body_start = lead[-1].end() if lead else clause_start
        if (label := _LIST_LABEL.match(text, body_start)) is not None:
            body_start = label.end()
        body = text[body_start : match.start()].strip().rstrip("，, ")
        names, after = subjects_of(body, known)
        if names and after >= len(body):
            # `青石镇、白沙镇分别扣2分、1分、3分。`: the units' names and nothing else before the amount.
            if (bare := _bare_names_unread(line, names, match)) is not None:
                out.unread.append(bare)
            continue
        if not names or body[after] in "：:，,":
            continue  # not a clause about units of the score table
        if _OTHER_POINTS.search(body) or _COMPARISON.search(body):
            continue  # a score or a change sits in the clause: not an amount taken off or added
        if _persons_points(body, after):
            continue  # a person's own points under the unit's name, not the unit's
        source = text[body_start : match.end()].strip().rstrip("，,；;。")
        read = _clause_entries(names, body, match, source)
        if read is None:
            why = (
                f"an amount for {len(names)} units ({'、'.join(names)}) without 各 (each) or with 分别 "
                "amounts that do not match them: not attributed"
            )
            out.unread.append(UnreadBlock(line, line, why, kind="entries"))
            continue
        out.entries.extend(read)
    return out


# A person named after the unit (`机关第三党支部党员赵某某`, `东关中队队员王某`): names are masked with 某.
_PERSON_NAMED = regex.compile(
    r"\p{Han}{0,6}?(?:党员|干部|职工|民警|辅警|队员|教师|驾驶人|驾驶员|工作人员|书记|网格员)?\p{Han}某某?"
)


def _persons_points(body: str, after: int) -> bool:
    """Whether a clause states a person's own points: a member named after the unit who `被扣5分` of a
    personal score or whose 积分 it is (n03, a branch's 党员积分 after the branches' deductions)."""
    return _PERSON_NAMED.match(body, after) is not None and (body.endswith("被") or "积分" in body)


# A person by role and masked name anywhere in an entry (`党员钱某某`, `执法队员王某`).
_ROLE_AND_NAME = regex.compile(
    r"(?:党员|干部|职工|民警|辅警|队员|教师|驾驶人|驾驶员|工作人员|书记|网格员)\p{Han}某"
)


def states_a_persons_points(text: str) -> bool:
    """Whether an entry states a person's own points: a member named by role and masked name who
    `被扣5分`, or whose 积分 it gives (n03: a branch's 党员积分 system beside the branch's deductions)."""
    return _ROLE_AND_NAME.search(text) is not None and ("被扣" in text or "积分" in text)


def _bare_names_unread(line: Line, names: list[str], match: regex.Match[str]) -> UnreadBlock | None:
    """The unread block a clause of bare unit names gives when it states amounts for several units
    or several amounts: more or fewer amounts than names (`青石镇、白沙镇分别扣2分、1分、3分。`), or one
    amount for several names without 各, cannot be paired; a pairing with no problem named may restate
    the totals of entries listed elsewhere. One name with one amount (`甲镇扣2分`) is left to the
    unit's own section."""
    values = _VALUE.findall(match.group("values"))
    each = match.group("each")
    if len(names) < 2 and each != "分别" and len(values) < 2:
        return None
    listed = "、".join(names)
    if len(values) > 1 or each == "分别":
        paired = len(values) == len(names) and each == "分别"
    else:
        paired = each in ("各", "均")
    if not paired:
        why = (
            f"{len(values)} amount{'s' if len(values) > 1 else ''} for {len(names)} unit{'s' if len(names) > 1 else ''} ({listed}) "
            f"{'with 分别 (respectively)' if each == '分别' else 'without 分别 or 各'}: "
            "they cannot be paired, not attributed"
        )
    else:
        why = (
            f"amounts for {listed} with no problem named (totals of entries listed elsewhere?): "
            "not read as entries"
        )
    return UnreadBlock(line, line, why, kind="entries")


def _clause_entries(
    names: list[str], body: str, match: regex.Match[str], source: str
) -> list[tuple[str, Entry]] | None:
    """One entry per unit of a clause, or None when the clause does not say who lost what."""
    each = match.group("each")
    values = [Decimal(v) for v in _VALUE.findall(match.group("values"))]
    kind = "bonus" if match.group("word") == "加" else "deduction"
    reason = body.removesuffix("各").removesuffix("均").removesuffix("分别").rstrip("，, ")
    if each == "分别" or len(values) > 1:
        if len(values) != len(names) or each != "分别":
            return None
        return [
            (name, _entry(reason, value, kind, source)) for name, value in zip(names, values, strict=True)
        ]
    if len(names) > 1 and each not in ("各", "均"):
        return None
    parsed = parse_entry(source)
    if parsed is None or parsed.points != values[0] or parsed.kind != kind:
        return None  # a rate, a cap or a total reads otherwise: leave it to a person
    parsed.reason = reason
    return [(name, parsed.copy()) for name in names]


def _entry(reason: str, points: Decimal, kind: str, text: str) -> Entry:
    return Entry(
        items=[],
        points=points,
        kind=kind,
        reason=reason,
        stated_points=points,
        count=None,
        rate=None,
        cap=None,
        text=text,
    )
