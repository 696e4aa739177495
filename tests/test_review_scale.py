"""The review site of 1,000 circulars builds in under a minute, and its index pages the rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.ingest import IngestOptions, ingest
from pipeline.review import build_site
from pipeline.samples import write_samples

# Issue 12: "the review site for 1,000 circulars builds in under a minute".
DEFAULT_CIRCULARS = 1000
DEFAULT_SECONDS = 60.0


def write_copies(samples: Path, folder: Path, n: int) -> list[Path]:
    """`n` circulars with distinct bytes made from the samples: each text copy moved to its own
    period (so series have months to show), each PDF copy with a distinct trailing comment."""
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(samples.iterdir())
    written = []
    for i in range(n):
        source = files[i % len(files)]
        data = source.read_bytes()
        cycle = i // len(files)
        year, month = 2010 + cycle // 12, cycle % 12 + 1
        if source.suffix == ".txt":
            text = data.decode("utf-8")
            text = re.sub(r"2024年2月份|2023年12月份", f"{year}年{month}月份", text)
            text = text.replace("2024年第一季度", f"{year}年第{(month - 1) // 3 + 1}季度")
            data = (text + f"\n抄送：存档{i}\n").encode("utf-8")
        else:
            data += f"\n% copy {i}\n".encode()  # after %%EOF: readers ignore it, the hash differs
        path = folder / f"c{i:04d}-{source.name}"
        path.write_bytes(data)
        written.append(path)
    return written


@pytest.mark.slow
def test_a_thousand_circulars_build_in_under_a_minute(tmp_path: Path) -> None:
    write_samples(tmp_path / "samples", pdf=True)
    write_copies(tmp_path / "samples", tmp_path / "in", DEFAULT_CIRCULARS)
    summary = ingest([tmp_path / "in"], IngestOptions(out=tmp_path / "out", workers=0, ocr="never"))
    assert summary.files == DEFAULT_CIRCULARS and summary.failed == 0

    site = build_site(tmp_path / "out")
    assert site.documents == DEFAULT_CIRCULARS
    assert site.sources == {"reread": DEFAULT_CIRCULARS}
    assert site.seconds < DEFAULT_SECONDS, f"{site.seconds:.1f} s"
    index = (site.path / "index.html").read_text(encoding="utf-8")
    circulars = json.loads(re.search(r'id="circulars-data">(.*?)</script>', index, re.S).group(1))
    assert len(circulars) == DEFAULT_CIRCULARS
    # The rows are drawn 100 at a time by the script, not as 1,000 table rows in the page.
    assert re.findall(r'data-page-size="(\d+)"', index) == ["100", "100"]
    assert index.count("<tr") < 50
