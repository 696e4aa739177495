"""Messages in Chinese and English for the review site and the sql/export/review commands.

The language follows `--lang` when given, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, in
the order POSIX gives them precedence): a locale starting `zh` (zh_CN.UTF-8, zh_TW) is Chinese,
anything else English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"  # the language of the code, the README and the finding messages themselves

MESSAGES: dict[str, dict[str, str]] = {
    # review site: index
    "site_title": {"en": "tongbao review", "zh": "tongbao 核查报告"},
    "generated": {"en": "Generated from {out}", "zh": "数据来源：{out}"},
    "circulars": {"en": "Circulars", "zh": "通报"},
    "findings": {"en": "Findings", "zh": "问题"},
    "finding_count": {"en": "findings", "zh": "问题数"},
    "series": {"en": "Series across periods", "zh": "各期走势"},
    "delta_distribution": {
        "en": "Distribution of deltas (stated − computed), mismatched units",
        "zh": "差值分布（通报分 − 计算分），不一致的单位",
    },
    "no_deltas": {"en": "No unit's arithmetic disagrees.", "zh": "没有单位的计算结果与通报不一致。"},
    "filter": {"en": "Filter", "zh": "筛选"},
    "all": {"en": "all", "zh": "全部"},
    "search": {"en": "search text", "zh": "搜索文字"},
    "severity": {"en": "severity", "zh": "级别"},
    "check": {"en": "check", "zh": "检查项"},
    "issuer": {"en": "issuer", "zh": "发文机关"},
    "period": {"en": "period", "zh": "考核期"},
    "unit": {"en": "unit", "zh": "单位"},
    "message": {"en": "message", "zh": "说明"},
    "circular": {"en": "circular", "zh": "通报"},
    "file": {"en": "file", "zh": "文件"},
    "title": {"en": "title", "zh": "标题"},
    "status": {"en": "status", "zh": "状态"},
    "rows_shown": {"en": "{first}–{last} of {total}", "zh": "第 {first}–{last} 条，共 {total} 条"},
    "previous": {"en": "previous", "zh": "上一页"},
    "next": {"en": "next", "zh": "下一页"},
    "units": {"en": "units", "zh": "单位数"},
    "rubric": {"en": "rubric", "zh": "考核细则"},
    "rubric_from_title": {
        "en": "no rubric document ingested: keyed by the circulars' title stem",
        "zh": "未收录考核细则：按通报标题主干归类",
    },
    "copies": {"en": "also in", "zh": "其他文件"},
    "one_copy": {"en": "one file per circular", "zh": "每份通报只列一个文件"},
    # review site: circular page
    "back": {"en": "← all circulars", "zh": "← 全部通报"},
    "metadata": {"en": "Metadata", "zh": "基本信息"},
    "doc_number": {"en": "document number", "zh": "发文字号"},
    "issue_date": {"en": "issued", "zh": "成文日期"},
    "base_score": {"en": "base score", "zh": "基础分"},
    "format": {"en": "format", "zh": "格式"},
    "source_path": {"en": "source file", "zh": "源文件"},
    "doc_class": {"en": "class", "zh": "类别"},
    "score_table": {"en": "Scores as read", "zh": "得分（原文）"},
    "rank": {"en": "rank", "zh": "名次"},
    "score": {"en": "score", "zh": "得分"},
    "grade": {"en": "grade", "zh": "等次"},
    "group": {"en": "group", "zh": "组别"},
    "where": {"en": "where", "zh": "位置"},
    "arithmetic": {"en": "Arithmetic per unit", "zh": "逐单位核算"},
    "base": {"en": "base", "zh": "基础分"},
    "deducted": {"en": "deducted", "zh": "扣分"},
    "bonus": {"en": "bonus", "zh": "加分"},
    "computed": {"en": "computed", "zh": "计算分"},
    "section_score": {"en": "section states", "zh": "段落所列"},
    "table_score": {"en": "table states", "zh": "表格所列"},
    "delta": {"en": "delta", "zh": "差值"},
    "deductions": {"en": "Deductions and bonuses", "zh": "扣分与加分"},
    "items": {"en": "items", "zh": "条目"},
    "points": {"en": "points", "zh": "分值"},
    "kind": {"en": "kind", "zh": "类型"},
    "reason": {"en": "reason", "zh": "事由"},
    "no_findings": {"en": "No findings: every stated score adds up.", "zh": "未发现问题：所列得分均相符。"},
    "source_text": {"en": "Source text", "zh": "原文"},
    "source_reread": {
        "en": "Re-read from {path}; highlighted lines hold a score, a deduction or a finding. Click a row to see its lines, a line to see its rows.",
        "zh": "重新读取自 {path}；高亮行含得分、扣分或问题。点击表格行查看原文，点击原文行查看对应记录。",
    },
    "source_missing": {
        "en": "The source file {path} is no longer there (or cannot be read without OCR): only the rows' own text is shown.",
        "zh": "源文件 {path} 已不存在（或需 OCR 才能读取）：仅显示各记录的原文。",
    },
    "source_changed": {
        "en": "The file at {path} has changed since it was ingested: only the rows' own text is shown.",
        "zh": "{path} 的内容在入库后已改变：仅显示各记录的原文。",
    },
    "page_images": {"en": "Pages with the boxes read", "zh": "页面及识别区域"},
    "page": {"en": "page", "zh": "页"},
    "pages": {"en": "pages", "zh": "页"},
    "failed_document": {"en": "This file could not be read: {error}", "zh": "该文件无法读取：{error}"},
    # series page
    "score_over_periods": {"en": "Score per period", "zh": "各期得分"},
    "heatmap": {"en": "Points deducted, unit × item", "zh": "扣分热力图（单位 × 条目）"},
    "heatmap_note": {
        "en": "Item numbers are those of this rubric only.",
        "zh": "条目编号仅在本考核细则内有意义。",
    },
    "no_items": {"en": "No item numbers cited.", "zh": "未引用条目编号。"},
    # commands
    "review_written": {
        "en": "wrote {pages} pages for {docs} circulars to {path} in {seconds:.1f} s",
        "zh": "已为 {docs} 份通报生成 {pages} 个页面：{path}（用时 {seconds:.1f} 秒）",
    },
    "no_output": {
        "en": "{out}: no documents table here; run 'tongbao ingest ... --out {out}' first.",
        "zh": "{out}：没有 documents 表；请先运行 'tongbao ingest ... --out {out}'。",
    },
    "sql_error": {"en": "query failed: {error}", "zh": "查询失败：{error}"},
    "rows": {"en": "{n} rows", "zh": "{n} 行"},
    "export_xlsx": {"en": "wrote {path} ({sheets} sheets)", "zh": "已写入 {path}（{sheets} 个工作表）"},
    "export_csv": {"en": "wrote {n} CSV files to {path}", "zh": "已写入 {n} 个 CSV 文件：{path}"},
    "export_usage": {
        "en": "give --xlsx FILE or --csv DIR (or both)",
        "zh": "请指定 --xlsx 文件 或 --csv 目录（或两者）",
    },
    "bad_lang": {"en": "unknown language {lang!r}: use en or zh", "zh": "未知语言 {lang!r}：请用 en 或 zh"},
}


def language_of(lang: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: `lang` when given (en/zh), else the locale's, else English.

    Raises:
        ValueError: `lang` is neither en nor zh.
    """
    if lang:
        code = lang.lower().split("_")[0].split("-")[0]
        if code not in LANGUAGES:
            raise ValueError(MESSAGES["bad_lang"]["en"].format(lang=lang))
        return code
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            # The first variable set decides, as in setlocale: LC_ALL=C overrides LANG=zh_CN.
            return "zh" if value.lower().startswith("zh") else "en"
    return DEFAULT_LANGUAGE


def message(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang`, with `values` filled in."""
    texts = MESSAGES[key]
    return texts.get(lang, texts[DEFAULT_LANGUAGE]).format(**values)


class Messages:
    """Messages bound to one language, for templates: `m('key', n=3)`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        return message(key, self.lang, **values)


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "MESSAGES", "Messages", "language_of", "message"]
