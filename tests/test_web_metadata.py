"""Web-page metadata (field survey §6): the 信息公开 block as table, definition list or bullets,
文号 under 备注, the signature run onto the last body line, periods without a year, and mirror
sites in traditional characters.

The fixtures (tests/fixtures/html/web-meta-*.html, tests/fixtures/text/{web-copy-*,
signature-run-on}.txt) are written for these tests with invented names. What the code before
this work read from them is in CHANGELOG.md (first run).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from parsers.document import extract_document, read_document
from parsers.metadata import extract_issue_date, extract_issuer
from parsers.metadata.dates import closing_date
from parsers.metadata.web import label_alone, meta_from_cells, meta_from_line, split_labelled_lines
from parsers.model import Line
from parsers.normalize import normalize_lines
from parsers.readers.html import read_html, title_of_page
from parsers.readers.text import read_text
from parsers.traditional import fold_lines, is_traditional, printed_respeller, to_simplified
from pipeline.options import IngestOptions
from pipeline.parse import parse_file

FIXTURES = Path(__file__).parent / "fixtures"
D = datetime.date

# Every field each fixture must give: the documents-table fields, then the page's own block.
EXPECTED = {
    "html/web-meta-table.html": {
        "title": "关于2月份农村人居环境整治考核结果的通报",
        "doc_number": "云农〔2024〕9号",
        "issuer": "云岭县农业农村局",
        "issue_date": D(2024, 3, 5),
        "period": ("2月份", D(2024, 2, 1), D(2024, 2, 29)),
        "web_meta": {
            "index_number": "YL-0231/2024-00417",
            "subject": "农业、林业、水利",
            "issuer": "云岭县农业农村局",
            "doc_number": "云农〔2024〕9号",
            "issue_date": "2024-03-05",
            "generated_date": "2024-03-05",
            "publish_date": "2024-03-07",
            "validity": "有效",
            "title": "关于2月份农村人居环境整治考核结果的通报",
        },
    },
    "html/web-meta-definition-list.html": {
        "title": "关于12月份市容环境卫生暗访考核情况的通报",
        "doc_number": "望城管〔2025〕3号",
        "issuer": "望川区城市管理局",
        "issue_date": D(2025, 1, 8),
        # December assessed, issued in January: the year before the issue date's.
        "period": ("12月份", D(2024, 12, 1), D(2024, 12, 31)),
        "web_meta": {
            "index_number": "WC-1108/2025-00012",
            "issuer": "望川区城市管理局",
            "doc_number": "望城管〔2025〕3号",
            "issue_date": "2025-01-08",
            "publish_date": "2025-01-09",
            "subject": "城乡建设、环境保护",
            "validity": "有效",
            "title": "关于12月份市容环境卫生暗访考核情况的通报",
        },
    },
    "html/web-meta-bullets.html": {
        "title": "柳川县应急管理局关于第二季度安全生产督查情况的通报",
        "doc_number": "柳应急〔2024〕21号",  # printed under 备注
        "issuer": "柳川县应急管理局",
        "issue_date": D(2024, 7, 10),
        "period": ("第二季度", D(2024, 4, 1), D(2024, 6, 30)),
        "web_meta": {
            "index_number": "LC-0517/2024-00233",
            "issuer": "柳川县应急管理局",
            "issue_date": "2024-07-10",
            "publish_date": "2024-07-12",
            "subject": "安全生产监管",
            "remark": "柳应急〔2024〕21号",
            "title": "柳川县应急管理局关于第二季度安全生产督查情况的通报",
        },
    },
    # A mirror is matched folded to simplified, and its records say what it printed (as gold set w).
    "html/web-meta-traditional.html": {
        "title": "關於2024年第一季度農村人居環境整治考核結果的通報",
        "doc_number": "青農〔2024〕15號",
        "issuer": "青禾縣農業農村局",
        "doc_type": "通報",
        "issue_date": D(2024, 4, 12),
        "period": ("2024年第一季度", D(2024, 1, 1), D(2024, 3, 31)),
        "web_meta": {
            "index_number": "QH-0822/2024-00061",
            "subject": "農業農村",
            "issuer": "青禾縣農業農村局",
            "doc_number": "青農〔2024〕15號",
            "issue_date": "2024-04-12",
            "publish_date": "2024-04-15",
            "title": "關於2024年第一季度農村人居環境整治考核結果的通報",
        },
    },
    "text/web-copy-bullets.txt": {
        "title": "石门县住房和城乡建设局关于5月份建筑工地扬尘治理考核情况的通报",
        "doc_number": "石建〔2024〕33号",
        "issuer": "石门县住房和城乡建设局",
        "issue_date": D(2024, 6, 3),
        "period": ("5月份", D(2024, 5, 1), D(2024, 5, 31)),
        "web_meta": {},
    },
    "text/signature-run-on.txt": {
        "title": "关于第三季度城乡环境卫生综合考评结果的通报",
        "doc_number": None,
        "issuer": "县城乡环境综合整治办公室",
        "issue_date": D(2024, 10, 9),
        "period": ("第三季度", D(2024, 7, 1), D(2024, 9, 30)),
        "web_meta": {},
    },
    "text/web-copy-traditional.txt": {
        "title": "河西縣水利局關於12月份河長制工作考核結果的通報",
        "doc_number": "河水〔2025〕2號",
        "issuer": "河西縣水利局",
        "doc_type": "通報",
        "issue_date": D(2025, 1, 6),
        "period": ("12月份", D(2024, 12, 1), D(2024, 12, 31)),
        "web_meta": {},
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_web_page_metadata_every_field(name: str) -> None:
    path = FIXTURES / name
    read = read_document(path.read_bytes(), path.name)
    meta = extract_document(read).metadata
    want = EXPECTED[name]
    assert read.web_meta == want["web_meta"]
    assert meta.title == want["title"]
    assert (meta.doc_number.text if meta.doc_number else None) == want["doc_number"]
    assert meta.issuer == want["issuer"]
    assert meta.issue_date == want["issue_date"]
    assert (meta.period_label, meta.period_start, meta.period_end) == want["period"]
    assert meta.doc_type == want.get("doc_type", "通报")
    assert meta.doc_class == "result"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_web_page_is_a_circular_not_refused(name: str) -> None:
    result = parse_file(str(FIXTURES / name), IngestOptions(workers=1))
    assert result.document.status == "ok"
    assert result.document.title == EXPECTED[name]["title"]


def test_mirror_page_keeps_printed_names_in_unit_raw_and_raw_text() -> None:
    result = parse_file(str(FIXTURES / "text/web-copy-traditional.txt"), IngestOptions(workers=1))
    deductions = result.records["deductions"]
    assert {(d.unit, d.unit_raw) for d in deductions} == {("東壩鎮", "東壩鎮"), ("西灣鄉", "西灣鄉")}
    assert {d.reason for d in deductions} >= {"巡河記錄不完整", "河道保潔不到位"}
    assert {r.unit for r in result.records["reconciliation"]} == {"東壩鎮", "西灣鄉"}
    # raw_text is each entry's own span of its line (issue 15), in the printed spelling.
    printed = (FIXTURES / "text/web-copy-traditional.txt").read_text(encoding="utf-8")
    assert all(d.raw_start is not None and d.raw_text in printed for d in deductions)
    assert any("（2）巡河記錄不完整，扣2分" in d.raw_text for d in deductions)
    grades = extract_document(
        read_document((FIXTURES / "html/web-meta-traditional.html").read_bytes(), "t.html")
    )
    assert [(row.unit_raw, row.grade) for row in grades.scores] == [
        ("白沙鎮", "優秀"),
        ("楓林鄉", "優秀"),
        ("西嶺鎮", "良好"),
        ("南溪鄉", "良好"),
    ]
    assert grades.score_units == ["白沙鎮", "楓林鄉", "西嶺鎮", "南溪鄉"]


def test_definition_list_label_takes_the_next_block_and_stays_out_of_the_body() -> None:
    page = (
        "<html><body><dl><dt>文号</dt><dd>某办〔2024〕3号</dd><dt>有效性：</dt><dd>有效</dd></dl>"
        "<div id='zoom'><p>关于5月份工作考核情况的通报</p><p>各乡镇：</p><p>现将考核情况通报如下。</p></div>"
        "</body></html>"
    )
    result = read_html(page.encode(), "dl.html")
    assert result.web_meta["doc_number"] == "某办〔2024〕3号"
    assert result.web_meta["validity"] == "有效"
    assert [line.text for line in result.lines] == [
        "关于5月份工作考核情况的通报",
        "各乡镇：",
        "现将考核情况通报如下。",
    ]


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("• 发布机构：柳川县应急管理局", {"issuer": "柳川县应急管理局"}),
        ("- 文号：石建〔2024〕33号", {"doc_number": "石建〔2024〕33号"}),
        ("· 成文日期：2024年3月5日", {"issue_date": "2024-03-05"}),
        ("公文生成日期：2024-03-06", {"generated_date": "2024-03-06"}),
        ("备注：柳应急〔2024〕21号", {"remark": "柳应急〔2024〕21号"}),
        (
            "【发布时间】2024-03-07　【来源】某县水利局",
            {"publish_date": "2024-03-07", "source": "某县水利局"},
        ),
        # Traditional labels match; the value stays as printed.
        ("發布機構：青禾縣農業農村局", {"issuer": "青禾縣農業農村局"}),
        (
            "文　　號：青農〔2024〕15號　發布日期：2024年4月15日",
            {"doc_number": "青農〔2024〕15號", "publish_date": "2024-04-15"},
        ),
    ],
)
def test_metadata_line_forms(line: str, fields: dict[str, str]) -> None:
    assert meta_from_line(line) == fields


def test_label_alone_and_cells() -> None:
    assert label_alone("索引号") == "index_number"
    assert label_alone("發布機構：") == "issuer"
    assert label_alone("浏览次数") == ""  # a label, of nothing the pipeline keeps
    assert label_alone("各乡镇人民政府：") is None
    assert meta_from_cells(["索引号：", "001/2024-3", "有效性", "有效"]) == {
        "index_number": "001/2024-3",
        "validity": "有效",
    }
    assert meta_from_cells(["排名", "单位", "得分"]) is None


def test_labelled_lines_of_a_text_copy_are_taken_out_even_when_joined() -> None:
    lines = normalize_lines(
        read_text(
            "- 索引号：SM-0309/2024-00158\n- 发布机构：某县农业农村局\n\n关于5月份考核情况的通报\n".encode(),
            "c.txt",
        ).lines
    )
    # Normalisation joins the two label lines (neither ends a sentence); raw keeps them apart.
    assert len(lines) == 2
    kept, found = split_labelled_lines(lines)
    assert [line.text for line in kept] == ["关于5月份考核情况的通报"]
    assert found == {"index_number": "SM-0309/2024-00158", "issuer": "某县农业农村局"}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("各乡镇要确保整改到位。县农业农村局 2024年5月8日", (D(2024, 5, 8), "县农业农村局")),
        ("请于2024年3月1日前报送。某县应急管理局2024年3月9日", (D(2024, 3, 9), "某县应急管理局")),
        # A sentence that merely ends in a date is narrative, not a signature.
        ("检查组于4月2日进驻，工作持续至2024年4月9日", None),
        ("各单位要高度重视。请于2024年5月8日", None),
    ],
)
def test_signature_run_onto_the_last_body_line(text: str, found: object) -> None:
    assert closing_date(text) == found


def test_run_on_signature_gives_issuer_and_date() -> None:
    body = "关于第三季度考评结果的通报\n\n各镇：\n\n现将结果通报如下：\n\n甲镇得分90分。\n\n请抓好整改落实。县考评办 县财政局 2024年10月9日\n"
    lines = normalize_lines(read_text(body.encode(), "c.txt").lines)
    assert extract_issue_date(lines) == D(2024, 10, 9)
    # Joint issuers run on: the spaces between the names part them.
    assert extract_issuer(lines) == "县考评办、县财政局"


def test_page_title_part_that_reads_as_a_circular_wins() -> None:
    assert title_of_page("望川区城市管理局 - 关于12月份考核情况的通报") == "关于12月份考核情况的通报"
    assert title_of_page("关于5月份考核情况的通报_某县人民政府") == "关于5月份考核情况的通报"
    assert title_of_page("工作动态 | 某县人民政府") == "工作动态"


def test_page_title_joined_to_the_site_by_a_bare_hyphen_loses_the_site() -> None:
    # CMS templates `标题-站点名` with no spaces (tests/fixtures/gold v01–v15 .html).
    assert (
        title_of_page("关于3月份网格化考评结果的通报-东港区城市管理委员会办公室")
        == "关于3月份网格化考评结果的通报"
    )
    # A hyphen inside the title stays: nothing after the 文种, or a range before it.
    assert title_of_page("关于2024-2025学年督导评估结果的通报") == "关于2024-2025学年督导评估结果的通报"
    assert title_of_page("关于1-6月考核情况的通报-某县人民政府") == "关于1-6月考核情况的通报"


def test_folding_is_decided_for_the_whole_document() -> None:
    assert is_traditional("關於2024年第一季度農村人居環境整治考核結果的通報")
    # 乾县 is a real county: t2s would make it 干县; a simplified document is left alone.
    simplified = [Line(text="乾县得分95分，礼泉县得分92分，武功县得分90分。", line_no=1)]
    assert fold_lines(simplified) is simplified
    folded = fold_lines([Line(text="優秀等次：白沙鎮、楓林鄉，城北區得分95分。", line_no=1)])
    assert folded[0].text == "优秀等次：白沙镇、枫林乡，城北区得分95分。"
    assert folded[0].raw_text == "優秀等次：白沙鎮、楓林鄉，城北區得分95分。"
    respell = printed_respeller(folded)
    assert respell is not None and respell("城北区得分95分，优秀") == "城北區得分95分，優秀"
    assert printed_respeller(simplified) is None
    assert to_simplified("考核結果的通報") == "考核结果的通报"


def test_a_remark_in_the_body_stays_in_the_body() -> None:
    assert meta_from_line("备注：城关镇因数据迟报扣1分。") is None
    page = (
        "<html><body><div id='zoom'><p>关于5月份工作考核情况的通报</p><p>甲镇得分95分。</p>"
        "<p>备注：甲镇因资料迟报扣1分。</p></div></body></html>"
    )
    assert read_html(page.encode(), "remark.html").lines[-1].text == "备注：甲镇因资料迟报扣1分。"


def test_text_copy_of_a_flattened_info_table_pairs_each_label_with_the_next_line() -> None:
    text = "索引号\nSM-0309/2024-00158\n发布机构\n石门县水利局\n成文日期\n2024年6月3日\n\n关于5月份考核情况的通报\n\n各乡镇：\n"
    kept, found = split_labelled_lines(normalize_lines(read_text(text.encode(), "c.txt").lines))
    assert found == {
        "index_number": "SM-0309/2024-00158",
        "issuer": "石门县水利局",
        "issue_date": "2024-06-03",
    }
    assert [line.text for line in kept] == ["关于5月份考核情况的通报", "各乡镇："]
    # `标题` alone may head the body: it takes no value.
    kept, found = split_labelled_lines(
        normalize_lines(read_text("标题\n关于考核情况的通报\n".encode(), "c.txt").lines)
    )
    assert found == {} and len(kept) == 2


def test_doc_number_in_a_remark_row_and_unknown_labels_end_a_value() -> None:
    assert meta_from_cells(["备注", "文号：石教〔2024〕41号", "", ""]) == {"doc_number": "石教〔2024〕41号"}
    assert meta_from_line("索引号：4209/2024-00285　信息类别：综合政务") == {
        "index_number": "4209/2024-00285"
    }


def test_labels_run_into_their_values_outside_the_article() -> None:
    page = (
        "<html><body><ul class='info'><li><span>发文机关</span><em>青禾县农业农村局</em></li>"
        "<li><span>成文日期</span><em>2024年3月5日</em></li><li><span>标题</span><em>关于考核的通报</em></li></ul>"
        "<div id='zoom'><p>关于2月份考核结果的通报</p><p>各乡镇：</p>"
        "<p>现将考核结果通报如下：甲镇得分95分，乙镇得分92分，丙镇得分90分，丁镇得分88分。</p></div></body></html>"
    )
    result = read_html(page.encode(), "spans.html")
    assert result.web_meta["issuer"] == "青禾县农业农村局"
    assert result.web_meta["issue_date"] == "2024-03-05"
    assert "title" not in result.web_meta or result.web_meta["title"] != "关于考核的通报"
    # In the body the same form is text, not metadata.
    assert meta_from_line("发文机关青禾县农业农村局") is None
