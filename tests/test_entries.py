"""Entry grammar (variants §3): labels, amounts, count × rate, caps, bonuses, reasons."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.entries import parse_entry, split_entries

CASES = [
    # text, items, points, kind, reason
    ("第6条未开展应急演练，扣1分", [6], "1", "deduction", "未开展应急演练"),
    ("6. 未开展应急演练，扣1分；", [6], "1", "deduction", "未开展应急演练"),
    ("（6）未开展应急演练（扣1分）", [6], "1", "deduction", "未开展应急演练"),
    ("【6】未开展应急演练，减1分", [6], "1", "deduction", "未开展应急演练"),
    ("⑥未落实“双向互动”，扣 1 分；", [6], "1", "deduction", "未落实“双向互动”"),
    ("(84)(86)(87)未建立奖励举报制度，共计扣3分", [84, 86, 87], "3", "deduction", "未建立奖励举报制度"),
    ("（3）违规停放，发现两处，每处扣0.5分", [3], "1.0", "deduction", "违规停放"),
    ("（3）违规停放车辆，发现十二处，每处扣0.5分，最高扣5分", [3], "5", "deduction", "违规停放车辆"),
    ("（4）台账缺失，发现5处，每处扣0.5分，扣完2分为止", [4], "2", "deduction", "台账缺失"),
    # A bracketed cap note after a bonus is not part of the reason.
    ("（5）积极参与全省评比获奖，加1分（加分累计不超过3分）", [5], "1", "bonus", "积极参与全省评比获奖"),
    # An amount glued to the reason without a comma.
    ("（7）资料不全扣0.5分", [7], "0.5", "deduction", "资料不全"),
    ("（8）隐患未整改，扣除1分，扣完为止", [8], "1", "deduction", "隐患未整改"),
    # Circled numbers past ⑳ live in two other Unicode blocks.
    ("㉓仓储物流场所违规住人，减1分", [23], "1", "deduction", "仓储物流场所违规住人"),
    ("㊿消防通道堵塞，扣2分", [50], "2", "deduction", "消防通道堵塞"),
    # Two list-style labels in a row, and a count of what was found (`4家企业`) in the amount clause.
    (
        "11、12、畜禽粪污处理不规范、养殖户周边环境脏乱，共计扣2分；",
        [11, 12],
        "2",
        "deduction",
        "畜禽粪污处理不规范、养殖户周边环境脏乱",
    ),
    (
        "第17条，电气焊作业人员持证情况监督检查不到位，发现4家企业，每家扣0.5分，共计扣2分。",
        [17],
        "2",
        "deduction",
        "电气焊作业人员持证情况监督检查不到位",
    ),
    # 扣分/减分 before the amount; a count × rate note after it; Chinese numeral amounts.
    ("【30】应急预案未按规定开展演练，扣分0.5分。", [30], "0.5", "deduction", "应急预案未按规定开展演练"),
    ("【25】安全警示标志设置不规范，减分1分；", [25], "1", "deduction", "安全警示标志设置不规范"),
    ("【11】消防通道堆放杂物，扣1.5分（3处×0.5分）；", [11], "1.5", "deduction", "消防通道堆放杂物"),
    (
        "第5项：产房医疗废物暂存未按规定分类，扣零点五分；",
        [5],
        "0.5",
        "deduction",
        "产房医疗废物暂存未按规定分类",
    ),
    ("（7）隐患整改不到位，扣一点五分", [7], "1.5", "deduction", "隐患整改不到位"),
    ("（8）违规动火作业，发现五处，每处扣一分，扣完三分为止", [8], "3", "deduction", "违规动火作业"),
    # Prose list markers cite no item; bracketed kind prefixes; a count before a cap.
    ("二是消防器材过期未更换，发现4具，每具扣0.5分，共扣2分", [], "2", "deduction", "消防器材过期未更换"),
    (
        "三是3月份督查指出的楼道应急照明问题仍未整改，扣1分",
        [],
        "1",
        "deduction",
        "3月份督查指出的楼道应急照明问题仍未整改",
    ),
    ("（加分项）提前完成沿江涵闸维修加固任务，加1分。", [], "1", "bonus", "提前完成沿江涵闸维修加固任务"),
    (
        "（4）巡堤查险存在漏巡现象，每处扣1分，共发现4处，扣完3分为止；",
        [4],
        "3",
        "deduction",
        "巡堤查险存在漏巡现象",
    ),
    # A list number before the rubric item is the entry's place in the list, not an item.
    ("1.第8项：消防车通道标识标线施划不规范，扣1分。", [8], "1", "deduction", "消防车通道标识标线施划不规范"),
    ("2、（15）应急预案未备案，扣0.5分；", [15], "0.5", "deduction", "应急预案未备案"),
    ("4.加分项：成功处置一起初起火灾，加0.5分。", [], "0.5", "bonus", "成功处置一起初起火灾"),
    # A bonus at a rate per unit of count, capped.
    (
        "(31)获评省级文明单位示范点3个，每个加1.5分，加分累计不超过3分。",
        [31],
        "3",
        "bonus",
        "获评省级文明单位示范点3个",
    ),
    # Measure words beyond 处/个: 批次.
    (
        "23、过期食品清查不彻底，发现4批次，每批次扣2.5分，共扣10分。",
        [23],
        "10",
        "deduction",
        "过期食品清查不彻底",
    ),
]


@pytest.mark.parametrize(("text", "items", "points", "kind", "reason"), CASES)
def test_parse_entry(text: str, items: list[int], points: str, kind: str, reason: str) -> None:
    entry = parse_entry(text)
    assert entry is not None
    assert (entry.items, entry.points, entry.kind, entry.reason) == (items, Decimal(points), kind, reason)


def test_rule_without_count_is_no_entry() -> None:
    assert parse_entry("（7）每处扣0.5分") is None


def test_split_paragraph_with_bonus() -> None:
    assert split_entries("（1）a扣1分；（2）b扣0.5分。加分项：c，加1分。") == [
        "（1）a扣1分；",
        "（2）b扣0.5分。",
        "加分项：c，加1分。",
    ]


def test_amount_written_before_the_reason() -> None:
    from parsers.entries import parse_entry

    entry = parse_entry("（3）扣1分：未建立河道保洁台账；")
    assert entry is not None
    assert (entry.items, str(entry.points), entry.reason) == ([3], "1", "未建立河道保洁台账")


def test_rates_written_per_unit_of_count() -> None:
    from parsers.entries import parse_entry

    cases = {
        "（3）河道垃圾未清理，发现3处，按0.5分/处扣分；": ("1.5", 3, "河道垃圾未清理"),
        "（4）河道垃圾未清理，发现4处，每处0.25分，共扣1分；": ("1", 4, "河道垃圾未清理"),
        "（6）台账不全，扣0.5分/处，共3处": ("1.5", 3, "台账不全"),
    }
    for text, (points, count, reason) in cases.items():
        entry = parse_entry(text)
        assert entry is not None, text
        assert (str(entry.points.normalize()), entry.count, entry.reason) == (points, count, reason), text


_PIECES = [
    "未建立台账",
    "发现3处",
    "每处扣0.5分",
    "扣1分",
    "共计扣1.5分",
    "加0.5分",
    "（扣1分）",
    "计1分",
    "扣完2分为止",
    "部分单位",
    "：",
    "；",
    "。",
    "，",
    "（12）",
    "(3)",
    "第4项：",
    "加分项：",
]


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8))
def test_fast_paths_agree_with_the_general_rules(parts: list[str]) -> None:
    import regex

    from parsers import entries

    text = "".join(parts)
    fast = (entries.split_entries(text), entries.reason_of(text))
    never = regex.compile("(?!)")
    always = regex.compile(".")
    saved = entries._SIMPLE_AMOUNT_END, entries._INNER_BREAK
    try:
        entries._SIMPLE_AMOUNT_END, entries._INNER_BREAK = never, always
        slow = (entries.split_entries(text), entries.reason_of(text))
    finally:
        entries._SIMPLE_AMOUNT_END, entries._INNER_BREAK = saved
    assert fast == slow


def test_prose_list_of_deductions_splits_at_each_marker() -> None:
    pieces = split_entries(
        "主要扣分点：一是校园周边护学岗家长志愿者到岗不及时，扣1分；二是部分班级晨检记录不全，扣零点五分。"
    )
    entries = [e for piece in pieces if (e := parse_entry(piece)) is not None]
    assert [(e.items, e.points, e.reason) for e in entries] == [
        ([], Decimal("1"), "校园周边护学岗家长志愿者到岗不及时"),
        ([], Decimal("0.5"), "部分班级晨检记录不全"),
    ]


# No number without structure (issue 9): none of these states an amount taken off or added.
NOT_AMOUNTS = [
    "96.5",  # a score cell of a flattened table, on a line of its own
    "3000",  # prize money in yuan
    "2",  # a count of problems
    "-4",
    "90.5分",
    "3.合计4分。",  # a sum with no 扣/减/加: often the unit's own score
    "丁乡总计81.6分，较上季度提高3.2分，问题整改率85%。",
    "南塘街道合计95.5分，共发现问题6处，涉及4个社区。",
    "3.较上月减少扣分1.5分，整改成效明显。",  # a change against last month
    "2.得分较上月增加2分，排名上升3位。",
    "东湖街道同比增加1.5分",
    "甲镇得分92.5分，排名第3，共发现问题4处，奖励资金5000元。",
    "乙乡排名第5名，涉及12个村，扣减工作经费3000元。",
]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_numbers_without_an_amount_clause_are_no_entry(text: str) -> None:
    assert parse_entry(text) is None


def test_bare_numbers_are_amounts_only_in_an_amount_cell() -> None:
    for cell, points, kind in (("0.5", "0.5", "deduction"), ("+1", "1", "bonus"), ("-4", "4", "deduction")):
        entry = parse_entry("消防通道堵塞", points_text=cell)
        assert entry is not None, cell
        assert (entry.points, entry.kind) == (Decimal(points), kind)


def test_a_comparison_clause_leaves_the_entry_amount() -> None:
    entry = parse_entry("（2）垃圾清运不及时，较上月增加3处，扣1.5分；")
    assert entry is not None
    assert (entry.points, entry.kind) == (Decimal("1.5"), "deduction")


def test_a_bare_total_counts_beside_the_amounts_it_adds_up() -> None:
    entry = parse_entry("（5）台账不全，发现3处，每处0.5分，共1.5分")
    assert entry is not None and entry.points == Decimal("1.5")


def test_doubtful_amount_names_a_comparison() -> None:
    from parsers.entries import doubtful_amount

    assert "earlier period" in (doubtful_amount("3.较上月减少扣分1.5分，整改成效明显。") or "")
    assert "earlier period" in (doubtful_amount("2.得分较上月增加2分，排名上升3位。") or "")
    assert "合计" in (doubtful_amount("3.合计4分。") or "")
    assert doubtful_amount("（2）垃圾清运不及时，发现2处；") is None
    assert doubtful_amount("发生较大事故，一票否决") is None


def test_a_rate_per_noun_is_count_times_rate() -> None:
    # `每村扣1分` was read as a plain 1-point amount: three villages cost 3 points.
    for text, points, count in (
        ("（3）发现3个村未落实门前三包，每村扣1分", "3", 3),
        ("（4）2个社区台账不全，每个社区扣0.5分", "1.0", 2),
    ):
        entry = parse_entry(text)
        assert entry is not None, text
        assert (entry.points, entry.count, entry.reason) == (
            Decimal(points),
            count,
            text[3:].split("，每")[0],
        )


def test_a_rate_without_count_is_a_doubt() -> None:
    from parsers.entries import doubtful_amount

    assert parse_entry("（6）村庄保洁不到位，每村扣1分") is None
    assert "rate" in (doubtful_amount("（6）村庄保洁不到位，每村扣1分") or "")


def test_white_space_class_is_the_regex_modules_space() -> None:
    """The cheap test before Chinese-numeral amounts runs on the re module with \\s spelled out:
    it must take exactly the characters the regex module's \\s does (not U+001C-U+001F)."""
    import re

    import regex

    from parsers.entries import _WHITE_SPACE

    every = "".join(map(chr, range(0x110000)))
    assert re.findall(_WHITE_SPACE, every) == regex.findall(r"\s", every)


_PROSE_PIECES = ["甲乙", "丙", "，", ",", " ", "\u3000", "\x1c", "\n", "扣", "1", "分", "；"]
_SPACES = ["", " ", "\u3000", "\x1c", "\t", " \u3000"]


@given(
    st.lists(st.sampled_from(_PROSE_PIECES), max_size=8).map("".join),
    st.sampled_from(_SPACES),
    st.sampled_from(["，", ","]),
    st.sampled_from(["扣", "减去", "扣分", "加"]),
    st.sampled_from(["1", "0.5", "x"]),
    st.sampled_from(["", "；", "。", "; ", "\n", "，"]),
)
def test_simple_amount_end_reads_as_its_pattern(
    prose: str, spaces: str, comma: str, word: str, number: str, end: str
) -> None:
    """reason_of's common case is read without the backtracking pattern, to the same groups."""
    from parsers.entries import _SIMPLE_AMOUNT_END, _simple_amount_end

    body = f"{prose}{spaces}{comma}{word}{number}分{end}"
    match = _SIMPLE_AMOUNT_END.match(body)
    assert _simple_amount_end(body) == ((match.group("reason"), match.group("last")) if match else None)


def test_words_of_a_glued_amount_are_not_the_reason() -> None:
    # y11: `按0.5分/处扣2分`, `酌情扣1分`, `加扣1分` (a further deduction, not a bonus); 参加 keeps its 加.
    from parsers.entries import parse_entry

    cases = {
        "1.漂浮物4处，按0.5分/处扣2分；": ("漂浮物4处", "2", "deduction"),
        "2.巡河记录缺失，酌情扣1分；": ("巡河记录缺失", "1", "deduction"),
        "3.该问题被市级暗访通报，加扣1分；": ("该问题被市级暗访通报", "1", "deduction"),
        "会议未参加扣1分": ("会议未参加", "1", "deduction"),
    }
    for text, (reason, points, kind) in cases.items():
        entry = parse_entry(text)
        assert entry is not None and (entry.reason, str(entry.points), entry.kind) == (
            reason,
            points,
            kind,
        ), text
