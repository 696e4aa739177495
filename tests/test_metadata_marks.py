"""A real circular's marks (field survey §4, §7; gold set r): joint issuers stacked above the
title, a 考核结果 title that reports results even when no row is read, a term that is not a
period, a base printed in a score column's header."""

from __future__ import annotations

import datetime

from parsers.metadata import classify_document, extract_base_score, extract_metadata
from parsers.model import Line
from parsers.normalize import normalize_lines
from parsers.readers.text import read_text


def lines_of(text: str) -> list[Line]:
    return normalize_lines(read_text(text.encode("utf-8"), "case.txt").lines)


def test_joint_issuers_stacked_above_the_title_are_both_title_and_issuer() -> None:
    meta = extract_metadata(
        lines_of(
            "中共岚县委办公室\n岚县人民政府办公室\n关于2023年度河湖长制工作考核结果的通报\n\n各乡镇党委和人民政府：\n\n"
            "现将考核结果通报如下：甲镇、乙镇考核为优秀等次。\n"
        )
    )
    assert meta.title == "中共岚县委办公室岚县人民政府办公室关于2023年度河湖长制工作考核结果的通报"
    assert meta.issuer == "中共岚县委办公室、岚县人民政府办公室"


def test_one_issuer_in_the_title_is_not_cut_in_two() -> None:
    # 国家税务总局 + 淮南市税务局 is one body's name, printed on one line.
    meta = extract_metadata(
        lines_of("国家税务总局淮南市税务局关于2023年度纳税服务考评结果的通报\n\n各县区税务局：\n")
    )
    assert meta.issuer == "国家税务总局淮南市税务局"


def test_a_title_naming_an_assessment_outcome_is_a_result_circular() -> None:
    body = "\n\n各乡镇：\n\n现将有关情况通报如下：各乡镇要高度重视。\n"
    assert classify_document(lines_of("关于第一季度安全生产考核情况的通报" + body)) == "result"
    assert classify_document(lines_of("关于5月份农村人居环境暗访结果的通报" + body)) == "result"
    assert classify_document(lines_of("关于做好防汛工作的通知" + body)) == "other"
    rules = "关于印发《安全生产考核办法》的通知\n\n各乡镇：\n\n现将考核办法印发给你们。\n"
    assert classify_document(lines_of(rules)) == "rubric"


def test_a_school_term_is_not_the_year() -> None:
    meta = extract_metadata(
        lines_of("关于2024年秋季学期学校食堂检查情况的通报\n\n各中小学校：\n\n现将检查情况通报如下：\n")
    )
    assert (meta.period_label, meta.period_start) == (None, None)
    meta = extract_metadata(lines_of("关于2024年安全生产目标考核结果的通报\n\n各县区：\n"))
    assert (meta.period_start, meta.period_end) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


def test_base_printed_in_a_score_column_header() -> None:
    flattened = "关于5月份食堂检查情况的通报\n\n序号\n学校\n扣分\n总分（24分）\n备注\n1\n城关小学\n1\n23\n"
    assert extract_base_score(lines_of(flattened)) == 24.0
    aligned = "关于测评结果的通报\n\n名次      单位        得分（满分1000分）\n1         甲区        968\n"
    assert extract_base_score(lines_of(aligned)) == 1000.0
    # A part's own maximum in prose is not the document's base.
    assert extract_base_score(lines_of("关于考核结果的通报\n\n组织领导（20分）：甲县得18分。\n")) == 100.0


def test_issuer_name_wrapped_onto_the_title_line_belongs_to_the_title() -> None:
    # A drawn PDF breaks the centred title after 领导小组 (gold g02 since CJK fonts are installed).
    lines = [
        Line(text="赣州市城乡环境综合整治工作领导小组", line_no=1, wrapped=False),
        Line(text="办公室关于2023年10月份各县（市、区）", line_no=2, wrapped=True),
        Line(text="城乡环境综合整治考评情况的通报", line_no=3, wrapped=False),
        Line(text="各县（市、区）城乡环境综合整治工作领导小组办公室：", line_no=4, wrapped=False),
    ]
    meta = extract_metadata(normalize_lines(lines))
    assert (
        meta.title
        == "赣州市城乡环境综合整治工作领导小组办公室关于2023年10月份各县（市、区）城乡环境综合整治考评情况的通报"
    )
    assert meta.issuer == "赣州市城乡环境综合整治工作领导小组办公室"


def test_dates_of_the_work_are_not_the_period_assessed() -> None:
    text = "关于2024年春季学期食堂等级评定结果的通报\n\n各学校：\n\n县教育局于5月至6月对各校食堂开展了等级评定，现将结果通报如下：\n"
    assert extract_metadata(lines_of(text)).period_label is None
    # `关于` is no such 于.
    meta = extract_metadata(
        lines_of("关于5月份考核情况的通报\n\n各乡镇：\n\n现将结果通报如下。\n\n县考核办\n2024年6月3日\n")
    )
    assert (meta.period_label, meta.period_start) == ("5月份", datetime.date(2024, 5, 1))


def test_scoring_results_title_and_a_labelled_issuer_with_digits() -> None:
    body = "\n\n各街道：\n\n现将情况通报如下：各街道要抓好整改。\n"
    assert classify_document(lines_of("关于11月份学校食堂检查评分情况的通报" + body)) == "result"
    meta = extract_metadata(
        lines_of("关于5月份热线工单办理情况的通报" + body), {"issuer": "山坡区12345热线办公室"}
    )
    assert meta.issuer == "山坡区12345热线办公室"


def test_short_name_in_the_title_gives_way_to_the_full_name_signed() -> None:
    text = (
        "清源县文明办关于6月份文明创建测评结果的通报\n\n各镇：\n\n现将测评结果通报如下：甲镇92分。\n\n"
        "清源县精神文明建设委员会办公室\n2024年7月8日\n"
    )
    assert extract_metadata(lines_of(text)).issuer == "清源县精神文明建设委员会办公室"
    # A different body signing keeps the title's issuer.
    other = text.replace("清源县精神文明建设委员会办公室", "清源县人民政府办公室")
    assert extract_metadata(lines_of(other)).issuer == "清源县文明办"
