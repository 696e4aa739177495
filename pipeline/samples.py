"""Sample circulars made by tongbao's own code, some with deliberate mismatches.

`make demo` ingests them so flagging can be seen at work on files anyone may
share. They follow three layouts of the family (variants.md §1, §3): a
telegram with a score table and one line per entry, a circular with one
paragraph per unit, and a circular whose deductions are a table. The
deliberate errors are listed in `MISTAKES` so a test can check that exactly
those are flagged.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

# (item number, reason) pairs of an invented work-safety rubric.
RUBRIC = [
    (2, "未见党委常委会研究安全生产情况"),
    (4, "安全生产约束性指标权重未增加"),
    (6, "未见辖区《安全生产职责清单》"),
    (9, "党委督查委未对安全生产开展专项督查"),
    (12, "未建立安委会工作规则和运行推进机制"),
    (13, "专职负责安委会办公室日常工作的人员不足"),
    (18, "未制定安全生产规划"),
    (19, "未制定政府领导干部“两个清单”"),
    (25, "未明确新业态新风险安全监管牵头职责"),
    (36, "行业主管部门未下达主体责任“告知书”"),
    (39, "规上企业未设置安全总监"),
    (48, "党政领导督导调研无专家参与"),
    (55, "未建立安全风险评估与论证机制"),
    (70, "未建立执法司法沟通协作机制"),
    (73, "年度效能审计未包含执法检查内容"),
    (84, "未制定举报奖励实施办法"),
    (87, "财政局未设立安全生产举报专项资金"),
]
POINTS = [
    Decimal("0.5"),
    Decimal("1"),
    Decimal("0.5"),
    Decimal("1"),
    Decimal("2"),
    Decimal("0.4"),
    Decimal("0.3"),
]

# (sample file stem, unit, check) of every mistake planted in the samples.
MISTAKES = [
    ("sample-telegram", "河西区", "score_mismatch"),
    ("sample-telegram", "南山县", "duplicate_item"),
    ("sample-paragraphs", "青石县", "table_mismatch"),
    ("sample-paragraphs", "白水县", "rank_order"),
    ("sample-paragraphs", "红岭县", "rank_order"),
    ("sample-table", "东湖区", "missing_section"),
]


@dataclass(slots=True)
class SampleUnit:
    name: str
    entries: list[tuple[list[int], str, Decimal]]
    bonus: Decimal = Decimal(0)

    @property
    def score(self) -> Decimal:
        return Decimal(100) - sum((p for _, _, p in self.entries), Decimal(0)) + self.bonus


def _units(names: list[str], seed: int) -> list[SampleUnit]:
    rng = random.Random(seed)
    units = []
    for name in names:
        picks = sorted(rng.sample(RUBRIC, rng.randint(3, 7)))
        units.append(SampleUnit(name, [([n], reason, rng.choice(POINTS)) for n, reason in picks]))
    return units


def _ranked(units: list[SampleUnit]) -> list[tuple[int, SampleUnit]]:
    ordered = sorted(units, key=lambda u: -u.score)
    return [(1 + sum(1 for o in ordered if o.score > u.score), u) for u in ordered]


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def telegram_sample() -> str:
    """A 明电 with a Markdown score table and one line per entry.

    河西区's score is 1 point higher than its deductions allow, in the table and its section alike.
    """
    units = _units(["河西区", "南山县", "东岭县", "北川县", "平原区", "清水县"], seed=7)
    south = units[1]
    south.entries.append((list(south.entries[0][0]), "抽查复核时再次发现同类问题", Decimal("0.5")))
    offset = {"河西区": Decimal("1")}
    shown = {u.name: u.score + offset.get(u.name, 0) for u in units}
    ordered = sorted(units, key=lambda u: -shown[u.name])
    table = "\n".join(
        f"| {1 + sum(1 for o in ordered if shown[o.name] > shown[u.name])} | {u.name} | "
        f"{_fmt(shown[u.name])} |"
        for u in ordered
    )
    sections = []
    for u in units:
        stated = u.score + offset.get(u.name, 0)
        lines = [f"{u.name}得分 {_fmt(stated)} 分，扣分原因："]
        lines += [f"（{items[0]}）{reason}，扣 {_fmt(p)} 分；" for items, reason, p in u.entries]
        sections.append("\n\n".join(lines))
    return f"""内部明电

发电单位 示例市安全生产委员会办公室

等级 加急 示安委办明电〔2024〕3号

示例市安全生产委员会办公室关于2024年2月份安全生产工作考核情况的通报

各县、区安委会：

现将2024年2月份各县区安全生产工作考核情况通报如下。

一、总体情况

各县区认真落实安全生产责任，全市安全生产形势总体稳定。

二、存在问题

部分县区责任清单不完善，专项督查开展不到位。

附件：1.各县区安全生产工作考核得分表（2024年2月）

2.各县区扣分原因

示例市安全生产委员会办公室

2024年3月6日

附件1

各县区安全生产工作考核得分表（2024年2月）

| 排名 | 县区 | 得分 |
|------|------|------|
{table}

附件2

各县区扣分原因

{chr(10).join(chr(10) + s + chr(10) for s in sections)}"""


def paragraphs_sample() -> str:
    """One paragraph per unit; 青石县's section and table disagree; two ranks are swapped."""
    units = _units(["青石县", "白水县", "红岭县", "金山区", "龙门县"], seed=11)
    ranked = _ranked(units)
    rows = []
    for rank, u in ranked:
        shown_rank = rank
        if u.name in ("白水县", "红岭县"):
            other = next(r for r, o in ranked if o.name == ("红岭县" if u.name == "白水县" else "白水县"))
            shown_rank = other
        shown_score = u.score + (Decimal("0.5") if u.name == "青石县" else 0)
        rows.append(f"{shown_rank}      {u.name}     {_fmt(shown_score)}")
    paragraphs = []
    for u in units:
        entries = "；".join(f"({items[0]}){reason}，扣 {_fmt(p)} 分" for items, reason, p in u.entries)
        paragraphs.append(f"{u.name}（得分{_fmt(u.score)}分）：{entries}。")
    return f"""示例市河长制办公室文件

示河长办〔2024〕12号

关于2024年第一季度全市河长制工作考评情况的通报

各县（市、区）河长制办公室：

按照《示例市河长制工作考核办法》，市河长办对各县区2024年第一季度河长制工作进行了考评。现将有关情况通报如下：

一、考评得分及排名

名次   县区     得分
{chr(10).join(rows)}

二、扣分情况

{chr(10).join(chr(10) + p for p in paragraphs)}

三、工作要求

各地要对照问题清单逐项整改，整改情况于下月10日前报送市河长办。

示例市河长制办公室

2024年4月8日
"""


def table_sample() -> str:
    """Deductions as a table with the unit cell blank below its first row; 东湖区 has no entries."""
    units = _units(["西城区", "东湖区", "南岸区", "北湖区"], seed=5)
    units[2].bonus = Decimal("1")
    score_rows = "\n".join(f"| {rank} | {u.name} | {_fmt(u.score)} |" for rank, u in _ranked(units))
    rows, n = [], 0
    for u in units:
        if u.name == "东湖区":
            continue
        for i, (items, reason, p) in enumerate(u.entries):
            n += 1
            rows.append(f"| {n} | {u.name if i == 0 else ''} | （{items[0]}）{reason} | {_fmt(p)} |")
        if u.bonus:
            n += 1
            rows.append(f"| {n} | | 加分项：安全生产工作经验被省级推广 | 加{_fmt(u.bonus)}分 |")
    return f"""示例市消防安全委员会办公室关于2023年12月份消防工作考评情况的通报

各县（区）消安委：

现将2023年12月份各县区消防工作考评情况通报如下。

附件：1.各县区消防工作考评得分表

2.扣分情况明细

示例市消防安全委员会办公室

2024年1月9日

附件1

各县区消防工作考评得分表（2023年12月）

| 排名 | 单位 | 得分 |
|------|------|------|
{score_rows}

附件2

扣分情况明细

| 序号 | 单位 | 扣分事项 | 扣分 |
|------|------|------|------|
{chr(10).join(rows)}
"""


SAMPLES = {
    "sample-telegram": telegram_sample,
    "sample-paragraphs": paragraphs_sample,
    "sample-table": table_sample,
}


def write_samples(out: Path, *, pdf: bool = True) -> list[Path]:
    """Write every sample as .txt (and as a text-layer .pdf); return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, make in SAMPLES.items():
        text = make()
        path = out / f"{stem}.txt"
        path.write_text(text, encoding="utf-8")
        written.append(path)
        if pdf:
            from pipeline.render_pdf import circular_to_pdf

            pdf_path = out / f"{stem}.pdf"
            pdf_path.write_bytes(circular_to_pdf(text))
            written.append(pdf_path)
    return written
