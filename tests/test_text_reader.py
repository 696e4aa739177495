"""The text reader: encodings, and a clear error for each bad input."""

from __future__ import annotations

import pytest

from parsers.model import DamagedInput, EmptyInput, UnsupportedInput
from parsers.normalize import normalize_lines
from parsers.readers.text import read_text
from tests.conftest import FIXTURES

TEXT = FIXTURES / "text"


def read(name: str):
    return read_text((TEXT / name).read_bytes(), name)


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("utf8_bom.txt", "utf-8-sig"), ("gb18030.txt", "gb18030"), ("markdown_circular.md", "utf-8")],
)
def test_encodings_are_detected_and_recorded(name: str, encoding: str) -> None:
    result = read(name)
    assert result.encoding == encoding
    assert any("新县得分99分" in line.text for line in normalize_lines(result.lines))


def test_markdown_is_read_as_md() -> None:
    assert read("markdown_circular.md").source_format == "md"


def test_line_numbers_are_physical_lines() -> None:
    result = read("utf8_bom.txt")
    assert [line.line_no for line in result.lines] == [1, 3, 5]


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("empty.txt", EmptyInput, "the file is empty"),
        ("whitespace_only.txt", EmptyInput, "the file is empty"),
        ("binary_named.txt", UnsupportedInput, "it looks like an image)"),
        ("undecodable.txt", DamagedInput, "cannot decode the text as UTF-8 or GB18030"),
    ],
)
def test_bad_input_has_a_clear_message(name: str, error: type, words: str) -> None:
    with pytest.raises(error) as caught:
        read(name)
    assert name in str(caught.value)
    assert words in str(caught.value)
