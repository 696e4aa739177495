"""HTML reader: charsets, the article body of gov CMS pages, table grids, web metadata, bad input."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

from parsers.model import DamagedInput, EmptyInput, UnsupportedInput
from parsers.readers.html import meta_from_line, read_html

FIXTURES = Path(__file__).parent / "fixtures" / "html"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def read_fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_gb2312_page_decodes_as_gb18030_and_keeps_gbk_only_characters() -> None:
    result = read_html(read_fixture("gb2312-charset.html"), "gb2312-charset.html")
    assert result.encoding == "gb18030"
    assert result.source_format == "html"
    texts = [line.text for line in result.lines]
    # 浉 is not in GB2312; a strict gb2312 decode would fail on it.
    assert texts[3] == "浉河区（5）两名领导班子成员述职报告中未涉及安全生产内容，扣 0.4 分；"
    # The body sits in a layout table: read as paragraphs, not as one giant cell; the
    # navigation row and the footer are left out.
    assert texts[0] == "关于7月份安全生产考核情况的通报"
    assert texts[-2:] == ["信阳市安全生产委员会办公室", "2022年8月9日"]
    assert all(line.cells is None for line in result.lines)
    assert not any("首页" in text or "版权所有" in text for text in texts)
    assert result.web_meta == {"title": "关于7月份安全生产考核情况的通报"}


def test_gov_info_block_goes_to_web_meta_and_not_to_the_body() -> None:
    result = read_html(read_fixture("gov-info-block.html"), "gov-info-block.html")
    assert result.web_meta == {
        "title": "关于2023年第二季度河长制工作考核结果的通报",
        "issuer": "某县全面推行河长制工作领导小组办公室",
        "issue_date": "2023-07-10",
        "publish_date": "2023-07-12",
        "doc_number": "某河长办〔2023〕7号",
        "source": "某县水利局",
        "index_number": "11410000/2023-00123",
        "subject": "综合政务",
    }
    assert [line.text for line in result.lines] == [
        "关于2023年第二季度河长制工作考核结果的通报",  # the <h1> above the body container
        "各乡镇人民政府，县直有关单位：",
        "按照《某县河长制工作考核办法》，县河长办对各乡镇第二季度河长制工作进行了考核，现将结果通报如下：",
        "城关镇得分96分，扣分原因：（2）巡河记录不完整，扣 2 分；（7）河道保洁不到位，扣 2 分。",
        # The source's line break inside the <p> is HTML whitespace: one space.
        "南岗镇得分92.5分，扣分原因：（3）问题整改不及时，发现3处，每处扣0.5分，共扣1.5分；"
        " （9）公示牌信息未更新，扣 6 分。",
    ]
    assert [line.line_no for line in result.lines] == [1, 2, 3, 4, 5]


def test_table_with_rowspan_and_colspan_keeps_a_fixed_grid() -> None:
    result = read_html(read_fixture("rowspan-table.html"), "rowspan-table.html")
    assert [(line.text if line.cells is None else line.cells) for line in result.lines] == [
        "附件",
        "各乡镇扣分明细表",
        "2023年第二季度",  # one cell across the table: a caption, not a row
        ("单位", "扣分情况", "", "得分"),
        ("", "存在问题", "扣分", ""),
        ("城关镇", "巡河记录不完整", "2", "96"),
        ("", "河道保洁不到位", "2", ""),  # rowspan continuation: "" so the value is carried down
        ("南岗镇", "问题整改不及时， 发现3处", "1.5", "98.5"),
        "县河长办",
    ]
    assert result.lines[5].text == "| 城关镇 | 巡河记录不完整 | 2 | 96 |"


def test_pdf_named_html_is_unsupported() -> None:
    expected = r"^not-html-pdf\.html: is not a web page \(it looks like a PDF\)"
    with pytest.raises(UnsupportedInput, match=expected):
        read_html(read_fixture("not-html-pdf.html"), "not-html-pdf.html")


def test_bytes_no_charset_decodes_are_damaged_and_named() -> None:
    with pytest.raises(DamagedInput, match=r"^undecodable\.html: cannot decode the page as utf-8, gb18030 "):
        read_html(read_fixture("undecodable.html"), "undecodable.html")


def test_empty_page_is_empty() -> None:
    with pytest.raises(EmptyInput, match=r"^empty\.html: the file is empty"):
        read_html(read_fixture("empty.html"), "empty.html")


def test_page_of_only_script_and_navigation_is_empty() -> None:
    page = "<html><body><nav><a href='/'>首页</a></nav><script>load('正文')</script></body></html>"
    with pytest.raises(EmptyInput, match=r"^app\.html: the page has no text outside navigation and metadata"):
        read_html(page.encode("utf-8"), "app.html")


def test_source_line_under_the_title_is_metadata() -> None:
    line = "来源：温州市信访工作联席会议办公室　发布时间：2021-10-15　浏览次数：1787　【字体：大 中 小】"
    assert meta_from_line(line) == {"source": "温州市信访工作联席会议办公室", "publish_date": "2021-10-15"}


@pytest.mark.parametrize("line", ["附件：扣分情况明细", "来源于群众举报的问题，扣 1 分；", "各县区安委会："])
def test_body_lines_are_not_metadata(line: str) -> None:
    assert meta_from_line(line) is None


def _squash_txt(text: str, page_numbers: bool = True) -> str:
    """The .txt rendering without whitespace, Markdown pipes, ** emphasis, '- ' bullets and separator rows."""
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if "-" in stripped and re.fullmatch(r"\|?[\s:|-]+\|?", stripped):
            continue
        if not page_numbers and re.fullmatch(r"[—-]\s*\d+\s*[—-]", stripped):
            continue
        kept.append(re.sub(r"^- ", "", stripped).replace("**", "").replace("|", ""))
    return re.sub(r"\s+", "", "".join(kept))


CORPUS_HTML = sorted(CORPUS.glob("*/*.html"))


@pytest.mark.skipif(not CORPUS_HTML, reason="shared corpus not present")
@pytest.mark.parametrize("path", CORPUS_HTML, ids=lambda p: p.name)
def test_corpus_page_body_matches_its_text_rendering(path: Path) -> None:
    # Measured on the corpus: ratios 0.9952-1.0000; the .txt also carries running page
    # numbers (— 3 — or - 3 -), which a web page does not have.
    lines = read_html(path.read_bytes(), path.name).lines
    ours = re.sub(r"\s+", "", "".join(line.text.replace("|", "") for line in lines))
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    theirs = _squash_txt(text)
    assert difflib.SequenceMatcher(None, ours, theirs, autojunk=False).ratio() >= 0.99
    assert ours == _squash_txt(text, page_numbers=False)


@pytest.mark.skipif(not CORPUS_HTML, reason="shared corpus not present")
@pytest.mark.parametrize("path", CORPUS_HTML, ids=lambda p: p.name)
def test_corpus_page_web_meta_agrees_with_gold(path: Path) -> None:
    gold = json.loads(path.with_name(path.name + ".gold.json").read_text(encoding="utf-8"))["document"]
    meta = read_html(path.read_bytes(), path.name).web_meta
    assert meta["issuer"] == gold["issuer"]
    assert meta["issue_date"] == gold["issue_date"]
    assert meta["title"] == gold["title"]
    assert meta.get("doc_number") == gold["doc_number"]


def test_body_of_br_separated_text_in_content_div_skips_side_menu_and_print_bar() -> None:
    # Older county sites: the whole body is text in <div id="content"> split by <br>,
    # beside a side menu of links and followed by 【打印】【关闭】.
    page = (
        "<html><head><title>关于3月份考核的通报 - 某市政府</title></head><body>"
        "<div class='left'><ul><li><a>通知公告</a></li><li><a>政策解读</a></li>"
        "<li><a>新闻中心</a></li></ul></div>"
        "<div id='content'>　　各乡镇：<br>　　甲镇得分95分。<br>　　甲镇（1）台账不全，扣 5 分。<br><br>"
        "　　某市考核办<br>　　2023年4月2日</div><div class='print'>【打印】【关闭】</div>"
        "<div class='footer'>版权所有 某市人民政府</div></body></html>"
    )
    result = read_html(page.encode("utf-8"), "br-body.html")
    assert [line.text for line in result.lines] == [
        "各乡镇：",
        "甲镇得分95分。",
        "甲镇（1）台账不全，扣 5 分。",
        "某市考核办",
        "2023年4月2日",
    ]
    assert [line.wrapped for line in result.lines] == [None, None, None, None, False]
    assert result.web_meta == {"title": "关于3月份考核的通报"}


def test_deduction_table_with_long_multi_paragraph_cells_stays_a_table() -> None:
    # Each 存在问题 cell holds 15 paragraphs (over 300 Chinese characters), like a page column.
    entry = "巡河记录不完整，问题台账未按要求建立和更新，扣 1 分；"
    problem = "".join(f"<p>（{i}）{entry}</p>" for i in range(1, 16))
    units = ("城关镇", "南岗镇", "北山镇")
    rows = "".join(f"<tr><td>{unit}</td><td>{problem}</td><td>15</td></tr>" for unit in units)
    header = "<tr><td>单位</td><td>存在问题</td><td>扣分</td></tr>"
    page = f"<html><body><div id='zoom'><table>{header}{rows}</table></div></body></html>"
    result = read_html(page.encode("utf-8"), "long-cells.html")
    assert [line.cells[0] for line in result.lines if line.cells] == ["单位", "城关镇", "南岗镇", "北山镇"]
    assert all(line.cells is not None and len(line.cells) == 3 for line in result.lines)


@pytest.mark.parametrize("label", ["文　　号", "文 号：", "文　号："])
def test_info_table_labels_spaced_to_width_are_read(label: str) -> None:
    # Government sites pad two-character labels to the width of four (`文　　号：`).
    page = (
        read_fixture("gov-info-block.html").decode("utf-8").replace("<th>发文字号</th>", f"<th>{label}</th>")
    )
    result = read_html(page.encode("utf-8"), "spaced-labels.html")
    assert result.web_meta["doc_number"] == "某河长办〔2023〕7号"


def test_metadata_bullets_longer_than_a_short_article_are_not_the_article() -> None:
    # A short notice (a table and two sentences) under a 信息公开 list whose six bullets hold more
    # Chinese than the article: the bullets are metadata, the article is still found (gold w17).
    bullets = "".join(
        f"<li>• {label}：{value}</li>"
        for label, value in (
            ("索引号", "11330000/2024-00815"),
            ("发布机构", "青石县城市管理综合行政执法局办公室"),
            ("公文生成日期", "2024-05-08"),
            ("主题分类", "城乡建设、环境保护/市容环境卫生"),
            ("文号", "青城管〔2024〕9号"),
            ("发布日期", "2024-05-09"),
        )
    )
    rows = "".join(
        f"<tr><td>{n}</td><td>{u}</td><td>{s}</td></tr>"
        for n, u, s in ((1, "东街社区", 96), (2, "西河社区", 93))
    )
    page = (
        f"<html><body><ul class='gk'>{bullets}</ul><div class='article'><div id='zoom'>"
        "<p>各社区：</p><p>现将4月份市容考评结果通报如下。</p>"
        f"<table><tr><th>名次</th><th>社区</th><th>得分</th></tr>{rows}</table></div></div></body></html>"
    )
    result = read_html(page.encode("utf-8"), "short-notice.html")
    assert result.web_meta["doc_number"] == "青城管〔2024〕9号"
    assert [line.cells for line in result.lines if line.cells][1:] == [
        ("1", "东街社区", "96"),
        ("2", "西河社区", "93"),
    ]
