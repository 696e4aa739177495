"""Decode a web page's bytes: BOM, the declared charset, UTF-8, GB18030, all strictly."""

from __future__ import annotations

import codecs
import re

from parsers.model import DamagedInput, EmptyInput, UnsupportedInput
from parsers.readers.sniff import sniff_format

# How far into the file a charset declaration is looked for; the HTML standard's
# prescan reads 1024 bytes, but CMS pages often put long <title>s and scripts first.
DEFAULT_CHARSET_PRESCAN = 8192

# GB2312 and GBK pages regularly contain characters outside those sets (names such as 浉
# are GBK-only, rarer ones GB18030-only); GB18030 decodes all of them.
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "csgb2312": "gb18030",
    "gb18030": "gb18030",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "big5": "big5hkscs",
}

HTML_MARKUP = re.compile(r"<\s*(?:!doctype|html|head|body|meta|div|p|table|br|span|title|a)\b", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode a web page; return (text, encoding used, warnings).

    Raises:
        EmptyInput: no bytes, or only whitespace.
        UnsupportedInput: binary bytes (NULs, or a known binary signature).
        DamagedInput: no candidate encoding decodes the bytes strictly.
    """
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty; nothing to read.")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, []
            except UnicodeDecodeError as exc:
                raise DamagedInput(
                    f"{name}: starts with a {encoding} byte-order mark but does not decode "
                    f"as {encoding} ({exc.reason} at byte {exc.start}); "
                    "re-save it as UTF-8."
                ) from exc
    found = sniff_format(data)
    if b"\x00" in data[:4096] or (found is not None and found.name not in ("html", "txt")):
        looks = f"it looks like {found.label}" if found else "it contains NUL bytes"
        raise UnsupportedInput(
            f"{name}: is not a web page ({looks}); give tongbao the file with its real extension."
        )
    warnings: list[str] = []
    candidates: list[str] = []
    declared = _declared_charset(data[:DEFAULT_CHARSET_PRESCAN])
    if declared is not None:
        encoding = _CHARSET_ALIASES.get(declared.lower(), declared.lower())
        try:
            codecs.lookup(encoding)
            candidates.append(encoding)
        except LookupError:
            warnings.append(
                f"{name}: the page declares an unknown charset {declared!r}; tried UTF-8 and GB18030."
            )
    candidates += [e for e in ("utf-8", "gb18030") if e not in candidates]
    errors: list[str] = []
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding}: {exc.reason} at byte {exc.start}")
            continue
        if declared is not None and errors and encoding != candidates[0]:
            warnings.append(
                f"{name}: the page declares charset {declared} but is not valid {candidates[0]}; "
                f"decoded as {encoding}."
            )
        return text, encoding, warnings
    raise DamagedInput(
        f"{name}: cannot decode the page as {', '.join(candidates)} ({'; '.join(errors)}); "
        "save it again from the browser as UTF-8."
    )


def _declared_charset(head: bytes) -> str | None:
    for pattern in (_CHARSET, _XML_ENCODING):
        match = pattern.search(head)
        if match:
            return match.group(1).decode("ascii", "ignore").strip(".:") or None
    return None
