"""Items keyed by rubric: an item number means something only within its rubric (issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.export import run_sql
from pipeline.ingest import IngestOptions, ingest
from pipeline.views import circular_keys, title_stem

# Two issuers' monthly circulars, each deducting its own item (3): 台账 for one, 河道 for the other.
CIRCULAR = """{issuer}文件

{number}

关于2024年{month}月份全市{topic}考评情况的通报

各县（区）：

现将2024年{month}月份{topic}考评情况通报如下：

一、考评得分及排名

名次    县区    得分
1      东坡县     99
2      西坡县     98

二、扣分情况

东坡县（得分99分）：(3){reason}，扣 1 分。

西坡县（得分98分）：(3){reason}，扣 1 分；(5)其他问题，扣 1 分。

{issuer}

2024年{next_month}月8日
"""


def _write(folder: Path, name: str, **fields: object) -> None:
    (folder / name).write_text(CIRCULAR.format(**fields), encoding="utf-8")


def test_title_stem_drops_issuer_period_and_kind_words() -> None:
    assert (
        title_stem("示例市安委办关于2024年2月份安全生产工作考核情况的通报", "示例市安委办") == "安全生产工作"
    )
    assert title_stem("关于2024年第一季度全市河长制工作考评情况的通报") == "河长制工作"
    assert title_stem("关于印发《2024年度安全生产工作考核细则》的通知") == "安全生产工作"
    assert title_stem("关于1-6月份各县区消防工作考评结果的通报") == "消防工作"
    assert title_stem(None) == ""


def test_a_rubric_document_names_the_key_of_its_circulars() -> None:
    docs = [
        {
            "doc_id": "r1",
            "status": "ok",
            "doc_class": "rubric",
            "issuer": "甲市安委办",
            "title": "关于印发《2024年度安全生产工作考核细则》的通知",
            "doc_number": None,
            "issue_date": None,
        },
        {
            "doc_id": "a1",
            "status": "ok",
            "doc_class": "result",
            "issuer": "甲市安委办",
            "title": "关于2024年2月份安全生产工作考核情况的通报",
            "doc_number": "甲安办〔2024〕3号",
            "issue_date": dt.date(2024, 3, 6),
        },
        {
            "doc_id": "a0",
            "status": "ok",
            "doc_class": "result",
            "issuer": "甲市安委办",
            "title": "关于2024年2月份安全生产工作考核情况的通报",
            "doc_number": "甲安办〔2024〕3号",
            "issue_date": dt.date(2024, 3, 6),
        },
        {
            "doc_id": "b1",
            "status": "ok",
            "doc_class": "result",
            "issuer": "乙市河长办",
            "title": "关于2024年2月份河长制工作考评情况的通报",
            "doc_number": None,
            "issue_date": None,
        },
        {
            "doc_id": "x1",
            "status": "failed",
            "doc_class": None,
            "issuer": None,
            "title": None,
            "doc_number": None,
            "issue_date": None,
        },
    ]
    keys = {k.doc_id: k for k in circular_keys(docs)}
    assert keys["a1"].rubric_key == "甲市安委办 · 关于印发《2024年度安全生产工作考核细则》的通知"
    assert keys["a1"].rubric_doc_id == "r1"
    assert keys["b1"].rubric_key == "乙市河长办 · 河长制工作" and keys["b1"].rubric_title is None
    # a0 and a1 are one circular in two files: the smaller doc_id counts.
    assert keys["a0"].circular == keys["a1"].circular
    assert keys["a0"].is_primary and not keys["a1"].is_primary
    assert keys["x1"].rubric_key == "x1" and keys["x1"].is_primary


def test_two_rubrics_reusing_item_numbers_stay_apart(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for month in (1, 2):
        _write(
            folder,
            f"safety-{month}.txt",
            issuer="示例市安全生产委员会办公室",
            number=f"示安办〔2024〕{month}号",
            month=month,
            next_month=month + 1,
            topic="安全生产工作",
            reason="安全台账不全",
        )
        _write(
            folder,
            f"river-{month}.txt",
            issuer="示例市河长制办公室",
            number=f"示河办〔2024〕{month}号",
            month=month,
            next_month=month + 1,
            topic="河长制工作",
            reason="河道垃圾未清理",
        )
    ingest([folder], IngestOptions(out=tmp_path / "out", workers=1, ocr="never"))
    _, rows = run_sql(
        tmp_path / "out",
        "SELECT rubric_key, description, units, circulars FROM rubric_items WHERE item = 3 ORDER BY rubric_key",
    )
    assert rows == [
        ("示例市安全生产委员会办公室 · 安全生产工作", "安全台账不全", 4, 2),
        ("示例市河长制办公室 · 河长制工作", "河道垃圾未清理", 4, 2),
    ]
    # Keyed by number alone, as the old report did, the two rules would add up as one.
    (merged,) = run_sql(tmp_path / "out", "SELECT sum(unit_count) FROM items WHERE item = 3")[1]
    assert merged == (8,)
    _, series = run_sql(
        tmp_path / "out",
        "SELECT rubric_key, period_label, score FROM series WHERE unit = '西坡县' ORDER BY rubric_key, period_start",
    )
    assert [(label, score) for _, label, score in series] == [
        ("2024年1月份", 98.0),
        ("2024年2月份", 98.0),
        ("2024年1月份", 98.0),
        ("2024年2月份", 98.0),
    ]
