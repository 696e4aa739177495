"""Normalisation: characters, Markdown, page numbers, aligned cells, joined lines."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from parsers.model import Line
from parsers.normalize import (
    aligned_cells,
    collapse_spaces,
    is_page_number,
    normalize_chars,
    normalize_lines,
    pipe_row_cells,
)


def lines_of(*texts: str) -> list[Line]:
    return [Line(text=t, line_no=i) for i, t in enumerate(texts, start=1)]


def test_cjk_spaces_removed_ascii_spaces_kept() -> None:
    assert collapse_spaces("新 县") == "新县"
    assert collapse_spaces("仅 3 人，扣 1 分") == "仅3人，扣1分"
    assert collapse_spaces("(84) (86) (87) 未建立") == "(84) (86) (87)未建立"


def test_fullwidth_digits_kangxi_and_decimal_point() -> None:
    assert normalize_chars("扣０．５分") == "扣0.5分"
    assert normalize_chars("⼀⽂⾏") == "一文行"
    # Chinese punctuation stays full-width: it is text, not ASCII in disguise.
    assert normalize_chars("（一），：；") == "（一），：；"


def test_page_numbers() -> None:
    for text in ("- 3 -", "— 12 —", "第3页", "第 3 页 共 5 页", "3/5"):
        assert is_page_number(text), text
    for text in ("- 2.各县区扣分原因", "（3）扣1分", "2022年"):
        assert not is_page_number(text), text


def test_markdown_rows_and_aligned_rows_become_cells() -> None:
    assert pipe_row_cells("| 1 | 新 县 | 85.7 |") == ("1", "新 县", "85.7")
    assert aligned_cells("5      沿滩区     88.9") == ("5", "沿滩区", "88.9")
    assert aligned_cells("荣 县      90.4") == ("荣 县", "90.4")
    assert aligned_cells("这是一句  普通的话") is None
    out = normalize_lines(lines_of("| 排名 | 县区 | 得分 |", "|-----|-----|-----|", "| 1 | 新 县 | 85.7 |"))
    assert [line.cells for line in out] == [("排名", "县区", "得分"), ("1", "新 县", "85.7")]


def test_wrapped_entry_joined_across_blank_lines_and_page_number() -> None:
    # The real circular breaks (38) after `双向互动，` and (71) inside a word, with blank lines between.
    out = normalize_lines(
        lines_of(
            "(38) 未落实对企业法定代表人登记和变更实行安全责任“实名制”管理，利用大数据技术定向推送相关信息和双向互动，",
            "— 7 —",
            "扣 1 分；",
            "(71) 行业主管部门曝光典型事故和每月曝光非法违法行",
            "为，未落实，扣 2 分；",
        )
    )
    assert [line.text for line in out] == [
        "(38)未落实对企业法定代表人登记和变更实行安全责任“实名制”管理，利用大数据技术定向推送相关信息和双向互动，扣1分；",
        "(71)行业主管部门曝光典型事故和每月曝光非法违法行为，未落实，扣2分；",
    ]
    assert (out[0].line_no, out[0].last_line) == (1, 3)


def test_headings_titles_and_entries_are_not_joined() -> None:
    out = normalize_lines(
        lines_of(
            "发电单位 自贡市农村人居环境整治工作领导小组办公室",
            "等级 特急 自人居办明电〔2021〕72号",
            "关于2021年9月份全市农村人居环境整治 工作观摩评比情况的通报",
            "各县（市、区）人居环境整治领导小组：",
            "（87）县财政局未设立安全生产举报专项资金，扣 1 分",
            "息县得分 81 分，扣分原因：",
        )
    )
    assert len(out) == 6


def test_grade_lists_with_blank_lines_between_stay_apart() -> None:
    # fresh-06: one grade list per line, blank lines between; a grade word and a colon (with or
    # without a count) starts a new list.
    out = normalize_lines(
        lines_of(
            "优秀（4个）：汨罗市、临湘市、岳阳县、华容县",
            "",
            "良好（3个）：平江县、湘阴县、岳阳楼区",
            "",
            "合格（2个）：云溪区、君山区",
            "二、市食安委成员单位",
            "优秀：市市场监管局、市农业农村局、市公安局、市教育局",
            "",
            "良好：市教育局、市卫健委",
            "基本合格：市商务局",
        )
    )
    assert [line.text for line in out] == [
        "优秀（4个）：汨罗市、临湘市、岳阳县、华容县",
        "良好（3个）：平江县、湘阴县、岳阳楼区",
        "合格（2个）：云溪区、君山区",
        "二、市食安委成员单位",
        "优秀：市市场监管局、市农业农村局、市公安局、市教育局",
        "良好：市教育局、市卫健委",
        "基本合格：市商务局",
    ]
    # A list wrapped after its separator still runs on.
    out = normalize_lines(lines_of("优秀（6个）：汨罗市、临湘市、岳阳县、华容县、", "平江县、湘阴县"))
    assert [line.text for line in out] == ["优秀（6个）：汨罗市、临湘市、岳阳县、华容县、平江县、湘阴县"]


def test_grade_list_without_full_stop_does_not_run_into_the_next_paragraph() -> None:
    # fd-11: a long list of schools (counted in 所) with no final 。, a blank line, then a paragraph.
    schools = "优秀等次（4所）：池州市第一中学、池州市第六中学、池州市实验小学、石台县仁里中学"
    paragraph = "希望受到表扬的单位珍惜荣誉、再接再厉，在平安校园建设中继续发挥示范引领作用。"
    assert [line.text for line in normalize_lines(lines_of(schools, "", paragraph))] == [schools, paragraph]
    # The next list starts its own line whatever its count word (所 / 家 / 名 as well as 个).
    out = normalize_lines(
        lines_of(
            schools, "良好等次（2所）：东至县第二中学、青阳县第一中学", "合格（1家）：安徽华源建设有限公司"
        )
    )
    assert len(out) == 3
    # A list the page wraps inside a name still runs on: the next line holds names, not a sentence.
    out = normalize_lines(
        lines_of(
            "优秀等次（4所）：池州市第一中学、池州市第六中学、池州市实验小学、石台县仁",
            "里中学",
            "",
            paragraph,
        )
    )
    assert [line.text for line in out] == [schools, paragraph]
    # The grade in quotes (k04's shape) ends its list the same way.
    quoted = "三、“一般”等次（1个）：竹溪乡（78.6分）"
    rule = "考核结果为“一般”的乡镇，取消其当年评先评优资格。"
    assert [line.text for line in normalize_lines(lines_of(quoted, "", rule))] == [quoted, rule]


def test_caption_and_one_cell_per_line_table_are_not_joined() -> None:
    # fb-01: a 20-character caption ending in 表 and its period, then one cell per line.
    cells = ["排名", "县区", "得分", "1", "新 县", "94.5", "2", "光山县", "93.2"]
    out = normalize_lines(lines_of("各县区安全生产工作考核得分表（12 月份）", *cells))
    assert [line.text for line in out] == [
        "各县区安全生产工作考核得分表（12月份）",
        "排名",
        "县区",
        "得分",
        "1",
        "新县",
        "94.5",
        "2",
        "光山县",
        "93.2",
    ]
    # Without a caption that stops it, a long line joined from two still does not swallow the
    # short lines after it: the last physical line decides, not the joined length.
    out = normalize_lines(
        lines_of("经考核，各县区得分从高到低依次排列，具体排名情况见下", "表", "排名", "县区", "1", "新 县")
    )
    assert [line.text for line in out] == [
        "经考核，各县区得分从高到低依次排列，具体排名情况见下表",
        "排名",
        "县区",
        "1",
        "新县",
    ]


def test_bare_number_never_continues_a_long_line() -> None:
    out = normalize_lines(lines_of("信阳市各县区安全生产工作考核综合得分及排名情况统计", "96.5"))
    assert len(out) == 2


def test_attachment_title_signature_and_date_are_not_joined() -> None:
    # fresh-08: the attachment title ends with its bracket; the signature sits above the date.
    out = normalize_lines(
        lines_of(
            "附件：潜山市河长制湖长制工作考核细则（2023年修订）",
            "",
            "潜山市全面推行河长制工作领导小组办公室",
            "",
            "二〇二三年三月二日",
        )
    )
    assert [line.text for line in out] == [
        "附件：潜山市河长制湖长制工作考核细则（2023年修订）",
        "潜山市全面推行河长制工作领导小组办公室",
        "二〇二三年三月二日",
    ]
    # Joint issuers: each name on its own line, the date below the last.
    out = normalize_lines(
        lines_of(
            "请各镇对照问题抓好整改，整改情况于月底前报送区河长办公室并抄送区农业农村局",
            "南通市通州区农村人居环境整治工作领导小组办公室",
            "南通市通州区农业农村局",
            "2023年3月5日",
        )
    )
    assert [line.text for line in out][1:] == [
        "南通市通州区农村人居环境整治工作领导小组办公室",
        "南通市通州区农业农村局",
        "2023年3月5日",
    ]
    # An organisation's name that does not sit above a date is prose wrapped by the page.
    out = normalize_lines(
        lines_of("请各镇对照问题抓好整改，整改情况于月底前书面报送区河长", "办公室", "各镇要举一反三。")
    )
    assert out[0].text == "请各镇对照问题抓好整改，整改情况于月底前书面报送区河长办公室"


def test_markdown_bullets_and_emphasis_removed() -> None:
    out = normalize_lines(
        lines_of(
            "- (9) 区党委督查委未对安全生产开展专项督查，扣 1 分；", "浉河区得分 **80.1** 分，扣分原因："
        )
    )
    assert out[0].text.startswith("(9)区党委")
    assert out[1].text == "浉河区得分80.1分，扣分原因："


@given(st.text())
def test_normalize_chars_is_idempotent(text: str) -> None:
    once = normalize_chars(text)
    assert normalize_chars(once) == once


@given(st.text(alphabet=st.sampled_from(list("新县区扣分 0123456789.，（）"))))
def test_collapse_spaces_never_changes_non_space_characters(text: str) -> None:
    assert collapse_spaces(text).replace(" ", "") == text.replace(" ", "").replace("\t", "").strip()


# The rule collapse_spaces implements, as the pattern it replaced: a run of spaces goes when a CJK
# character stands before or after it; other runs become one space.
_NEAR_CJK = regex.compile(
    r"(?<=[\p{Han}\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014])[ \t\u00a0]+"
    r"|[ \t\u00a0]+(?=[\p{Han}\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014])"
)


@given(
    st.text(
        alphabet=st.sampled_from(
            list(" \t\u00a0\u3000\n新县a1,，。“…—–\u2e80\u2e9a\U00020000\uff01\u303f\x1c")
        )
    )
)
def test_collapse_spaces_removes_runs_beside_cjk_and_folds_the_rest(text: str) -> None:
    expected = regex.sub(r"[ \t\u00a0]+", " ", _NEAR_CJK.sub("", text)).strip()
    assert collapse_spaces(text) == expected


def test_web_list_marks_without_a_space_are_dropped() -> None:
    lines = normalize_lines(
        lines_of(
            "▲津城街道  得分99.5分，扣分原因：",
            "●（4）道路两侧发现焚烧垃圾痕迹，扣0.5分。",
            "■来龙门街道：得分96.5分。",
        )
    )
    assert [line.text for line in lines] == [
        "津城街道得分99.5分，扣分原因：",
        "（4）道路两侧发现焚烧垃圾痕迹，扣0.5分。",
        "来龙门街道：得分96.5分。",
    ]


def test_article_buttons_copied_with_the_text_are_dropped() -> None:
    lines = normalize_lines(
        lines_of("以上情况特此通报。", "分享　收藏　　赞 18　　在看 6", "赞扬先进，鞭策后进。")
    )
    assert [line.text for line in lines] == ["以上情况特此通报。", "赞扬先进，鞭策后进。"]


def test_a_head_count_after_a_line_opening_name_is_taken_out_and_kept_in_raw() -> None:
    line = normalize_lines(lines_of("机关第一党支部（党员23名）：“三会一课”记录不完整，扣1分，得分99分。"))[0]
    assert line.text == "机关第一党支部：“三会一课”记录不完整，扣1分，得分99分。"
    assert line.raw is not None and "（党员23名）" in line.raw
    for before, after in [
        ("（二）后勤党支部（职工 12 人）：未发现问题", "（二）后勤党支部：未发现问题"),
        ("第三支部(共有8名)：扣2分", "第三支部：扣2分"),
    ]:
        assert normalize_lines(lines_of(before))[0].text == after
    # Brackets that hold a score, a scope or a count that is not followed by the name's colon stay.
    for kept in [
        "甲县（得分95分）：扣1分",
        "新城项目部（含2个工地）：扣1分",
        "某村（3人）扣1分。",
        "经查，甲支部（党员5名）：扣1分",
    ]:
        assert normalize_lines(lines_of(kept))[0].text == kept
