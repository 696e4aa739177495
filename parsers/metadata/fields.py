"""One extractor per element: 发文字号, 紧急程度, marking, 标题, 发文机关, 主送机关, 成文日期,
base score, 附件说明 and the document class."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import regex

from parsers.metadata.common import (
    DEFAULT_BASE_SCORE,
    DOC_TYPE_END,
    MARKINGS,
    OPEN_BRACKET,
    ORG_NAME,
    ORG_SUFFIX,
    URGENCIES,
    DocNumber,
    Layout,
    parse_doc_number,
)
from parsers.metadata.dates import CN_YEAR, closing_date, parse_date
from parsers.metadata.layout import find_layout, is_header_element, split_header_lines
from parsers.model import Line
from parsers.normalize import squash
from parsers.traditional import physical_text


def extract_doc_number(lines: list[Line], web_meta: dict[str, str] | None = None) -> DocNumber | None:
    """Find the circular's own 发文字号: in the header block, or a line of its own before `一、`.

    Never from a sentence (a cited basis document); web metadata (文号) is the last resort.
    """
    lines = split_header_lines(lines)
    return locate_doc_number(lines, find_layout(lines), web_meta)


def locate_doc_number(
    lines: list[Line], layout: Layout, web_meta: dict[str, str] | None = None
) -> DocNumber | None:
    """The 发文字号 of lines whose header lines are split, in their layout (see extract_doc_number)."""
    # Header first (GB/T 9704 §7.2.4: the number sits between the 发文机关标志 and the title),
    # then any standalone number line in the opening part (web copies print it under the title).
    candidates = list(range(layout.header_end)) + list(range(layout.header_end, layout.intro_end))
    for i in candidates:
        if lines[i].cells is None and (number := parse_doc_number(lines[i].text, lines[i].line_no)):
            return number
    # Some sites print the 文号 under 备注 (remark) instead of a 文号 label (field survey §6).
    for key in ("doc_number", "文号", "发文字号", "remark"):
        if web_meta and web_meta.get(key) and (number := parse_doc_number(web_meta[key], 0)):
            return number
    # A page that prints no 文号 may give it in brackets after the 来源 (gold s03:
    # `来源：桃溪县教育体育局（桃教体〔2024〕58号）`); the bracket must hold the whole number.
    if web_meta and (source := web_meta.get("source")):
        bracketed = regex.search(r"[（(]([^（）()]+)[）)]$", squash(source))
        if bracketed and (number := parse_doc_number(bracketed[1], 0)):
            return number
    return None


# `特急`, `等级 加急 信安委办明电〔2022〕1号`, `等级：特急` (fd-01), `紧急程度：平急`.
_URGENCY_LINE = regex.compile(
    rf"^(?:(?:等级|紧急程度)[:：]?)?({'|'.join(URGENCIES)})(?:[·★].*)?(?=$|\p{{Han}}*(?:{OPEN_BRACKET}|\d))"
)
# `机密★6个月　特急`: the 密级 with its 保密期限 and the 紧急程度 extracted onto one line (GB/T 9704
# sets them on two lines at the left margin; a PDF's text layer or a web copy joins them).
_URGENCY_AFTER_MARKING = regex.compile(
    rf"^(?:{'|'.join(MARKINGS)})(?:★(?:\d{{1,2}}个?[年月]|[一二三四五六七八九十]{{1,2}}个?[年月]|长期))?"
    rf"({'|'.join(URGENCIES)})$"
)
_URGENCY_AFTER_NUMBER = regex.compile(rf"号({'|'.join(URGENCIES)})(?:签发人.*)?$")
_MARKING_LINE = regex.compile(rf"^({'|'.join(MARKINGS)})(?:★.*)?$")


def locate_urgency(lines: list[Line], layout: Layout) -> tuple[str | None, int | None]:
    """紧急程度 and its line number, from the header block of `layout`."""
    found = _first_header_match(lines, layout, _URGENCY_LINE)
    if found[0] is not None:
        return found
    found = _first_header_match(lines, layout, _URGENCY_AFTER_MARKING)
    if found[0] is not None:
        return found
    # Set after the 文号 on its line (gold s04's PDF: `白河办[2024]9号　　加急`).
    for i in range(layout.header_end):
        text = squash(lines[i].text)
        if lines[i].cells is None and (m := _URGENCY_AFTER_NUMBER.search(text)) and parse_doc_number(text):
            return m[1], lines[i].line_no
    return None, None


def _first_header_match(
    lines: list[Line], layout: Layout, pattern: regex.Pattern[str]
) -> tuple[str | None, int | None]:
    """The first header-block line the pattern matches: (its group 1, line number)."""
    for i in range(layout.header_end):
        if lines[i].cells is None and (m := pattern.match(squash(lines[i].text))):
            return m[1], lines[i].line_no
    return None, None


def extract_urgency(lines: list[Line]) -> str | None:
    """紧急程度 (特急/加急/平急) from the header block; None when not printed (§5: web copies)."""
    lines = split_header_lines(lines)
    return locate_urgency(lines, find_layout(lines))[0]


def locate_marking(lines: list[Line], layout: Layout) -> tuple[str | None, int | None]:
    """The marking and its line number, from the header block of `layout`."""
    return _first_header_match(lines, layout, _MARKING_LINE)


def extract_marking(lines: list[Line]) -> str | None:
    """Marking above the header (内部明电, 机密…), from its own line in the header block."""
    lines = split_header_lines(lines)
    return locate_marking(lines, find_layout(lines))[0]


def locate_title(
    lines: list[Line], layout: Layout, web_meta: dict[str, str] | None = None
) -> tuple[str | None, int | None]:
    """标题 and its first line number: the title lines of `layout`, else the page's title."""
    if layout.title_start is not None and layout.title_end is not None:
        span = lines[layout.title_start : layout.title_end + 1]
        text = "".join(squash(ln.text) for ln in span if ln.cells is None)
        return text, lines[layout.title_start].line_no
    for key in ("title", "ArticleTitle", "标题"):
        if web_meta and web_meta.get(key):
            return squash(web_meta[key]), 0
    return None, None


def extract_title(lines: list[Line], web_meta: dict[str, str] | None = None) -> str | None:
    """标题, whitespace removed, including the issuer's name when printed with it."""
    lines = split_header_lines(lines)
    return locate_title(lines, find_layout(lines), web_meta)[0]


def doc_type_of(title: str | None) -> str | None:
    """文种: the title's last word (通报, 通知, 决定, 意见…)."""
    if not title:
        return None
    m = DOC_TYPE_END.search(title.rstrip('》”"'))
    return m.group(0) if m else None


def _split_orgs(text: str) -> list[str]:
    """Split joint issuers printed on one line: by whitespace in the raw text or by 、."""
    parts = [p for p in regex.split(r"[\s、，,]+", text) if p]
    return parts if parts and all(ORG_NAME.match(squash(p)) for p in parts) else [squash(text)]


def _join_orgs(orgs: list[str]) -> str:
    seen: list[str] = []
    for org in orgs:
        if org not in seen:
            seen.append(org)
    return "、".join(seen)


def locate_issuer(
    lines: list[Line],
    layout: Layout,
    web_meta: dict[str, str] | None = None,
) -> tuple[str | None, int | None]:
    """发文机关 and the line it was read from (see extract_issuer for the order of places)."""
    header = [(i, lines[i]) for i in range(layout.header_end) if lines[i].cells is None]
    # 1. Telegram: `发电单位 X` (the gold's issuer for every 明电).
    for k, (_, ln) in enumerate(header):
        text = squash(ln.text)
        if text.startswith("发电单位"):
            name = regex.sub(r"^发电单位[:：]?|(?:签批|签发|盖章).*$", "", text)
            following = squash(header[k + 1][1].text) if k + 1 < len(header) else ""
            if name and _is_name_tail(following, name):
                # A long name wrapped in the 发电单位 cell: `发电单位 信阳市安全生产委员会` / `办公室`.
                return name + following, ln.line_no
            if name:
                return _join_orgs(
                    _split_orgs(regex.sub(r"^发电单位[:：]?", "", physical_text(ln).strip()))
                    if " " in physical_text(ln).strip()
                    else [name]
                ), ln.line_no
    # 2. 发文机关标志 `X文件`; joint issuers print one line each (`A文件` / `B文件`, or `A` / `B` / `文件`).
    orgs: list[str] = []
    first_no = None
    for k, (i, ln) in enumerate(header):
        text = squash(ln.text)
        if text == "文件":
            above = (squash(lines[j].text) for j in range(max(0, i - 3), i))
            orgs.extend(name for t in above if ORG_NAME.match(t) for name in _unglued_orgs(t))
        elif text.endswith("文件") and k > 0 and _is_name_tail(text[:-2], squash(header[k - 1][1].text)):
            # A long name wrapped by the page: `六安市…领导小组` / `办公室文件` (drawn/Word PDFs).
            orgs.append(squash(header[k - 1][1].text) + text[:-2])
        elif text.endswith("文件") and ORG_NAME.match(text[:-2]):
            # Joint issuers print their names one above the other (`A` / `B文件`).
            orgs.extend(_whole_org_lines(reversed(header[:k]))[::-1])
            orgs.extend(_unglued_orgs(text[:-2]))
        else:
            continue
        # ... and one big 文件 beside the stack, which text extraction puts after the first name
        # (`A` / `文件` / `B`, `A 文件` / `B`): names right below it are issuers too.
        orgs.extend(_whole_org_lines(header[k + 1 :]))
        first_no = first_no or ln.line_no
    if orgs:
        return _join_orgs(orgs), first_no
    # 2b. A letterhead without `文件` (函 and 纪要 formats, many web-to-text copies): the header's
    # first line that is only an organisation name, with any names stacked under it.
    for k, (_, ln) in enumerate(header):
        names = _whole_org_lines(header[k:])
        if names:
            return _join_orgs([name for text in names for name in _unglued_orgs(text)]), ln.line_no
    # 3. The issuer printed in the title (`X关于…的通报`; joint: `X、Y关于…`).
    title, title_no = locate_title(lines, layout)
    if title and (m := regex.match(r"^(.+?)关于", title)):
        parts = [p for p in regex.split(r"[、，,]", m[1]) if p]
        if parts and all(ORG_NAME.match(p) for p in parts):
            signed = _signature(lines, layout) if layout.date is not None else []
            if len(parts) == 1 and len(signed) == 1 and _abbreviates(parts[0], signed[0]):
                # The title uses the short name the signature spells out (`清源县文明办` for
                # `清源县精神文明建设委员会办公室`, gold w11): the issuer is the full name.
                return signed[0], lines[layout.date].line_no if layout.date is not None else title_no
            return _join_orgs(_title_issuers(lines, layout) or parts), title_no
    # 4. The signature (发文机关署名) on the line(s) just above the 成文日期, or glued before it.
    if layout.date is not None:
        sig = _signature(lines, layout)
        if sig:
            return _join_orgs(sig), lines[layout.date].line_no
    # 5. Web metadata (发布机构 / 来源) of a government-website copy.
    for key in ("issuer", "发布机构", "source", "来源"):
        if web_meta and web_meta.get(key) and _LABELLED_ORG.match(squash(web_meta[key])):
            return squash(web_meta[key]), 0
    return None, None


def _abbreviates(short: str, full: str) -> bool:
    """Whether `short` is an abbreviation of `full`: the same place first, its characters in order."""
    if len(short) >= len(full) or short[:2] != full[:2]:
        return False
    rest = iter(full)
    return all(char in rest for char in short)


def _title_issuers(lines: list[Line], layout: Layout) -> list[str]:
    """Joint issuers stacked one per line above `关于…` in the title (gold r11); [] for one line."""
    if layout.title_start is None or layout.title_end is None:
        return []
    names: list[str] = []
    for line in lines[layout.title_start : layout.title_end + 1]:
        text = squash(line.text)
        if text.startswith("关于") or not ORG_NAME.match(text):
            break
        names.append(text)
    return names if len(names) > 1 else []


# A body the page labels as its 发布机构 may carry digits (`山坡区12345热线办公室`, gold w20); the
# label vouches for it, where a bare line needs ORG_NAME's all-Han form.
_LABELLED_ORG = regex.compile(rf"^[\p{{Han}}\dA-Za-z（）()·]{{2,40}}{ORG_SUFFIX}$")


def _signature(lines: list[Line], layout: Layout) -> list[str]:
    """Issuer names signed above the 成文日期 (one per line or side by side for joint issuers)."""
    assert layout.date is not None
    date_line = lines[layout.date]
    found = closing_date(date_line.text)
    if found and found[1]:
        # `信阳市安委办 2022年8月9日` on one line: the raw text still has the spaces between names.
        raw = regex.split(rf"(?:19|20)\d{{2}}\s*年|{CN_YEAR}年", physical_text(date_line))[0]
        raw = regex.split(r"[。！？；!?;]", raw)[-1]  # a signature run onto the last body line
        return [p for p in _split_orgs(raw.strip()) if ORG_NAME.match(p)] or [found[1]]
    sig: list[str] = []
    j = layout.date - 1
    while j >= layout.body_start and len(sig) < 4 and lines[j].cells is None:
        text = squash(lines[j].text)
        has_above = j - 1 >= layout.body_start and lines[j - 1].cells is None
        above = squash(lines[j - 1].text) if has_above else ""
        if above and _is_name_tail(text, above):
            # A long signature wrapped onto a second line (`…领导小组` / `办公室`).
            sig = [above + text, *sig]
            j -= 2
            continue
        parts = _split_orgs(physical_text(lines[j]).strip())
        if not all(ORG_NAME.match(p) for p in parts):
            break
        sig = parts + sig
        j -= 1
    return sig


# A name that starts a second issuer: a place (`南通市…`, `通州区…`) or the Party (`中共…`).
_ISSUER_START = regex.compile(r"^(?:中共|[\p{Han}]{1,4}[省市县区州盟旗])")


def _unglued_orgs(text: str) -> list[str]:
    """Split two issuers' names that text extraction put on one line above a joint 文件.

    `南通市通州区农村人居环境整治工作领导小组办公室南通市通州区农业农村局`: the cut falls after
    an organisation suffix, both parts are names of six or more characters, and the second starts
    the way a name does; `河南省人民政府安全生产委员会` stays one name (its second part is not one).
    """
    for suffix in regex.finditer(ORG_SUFFIX, text):
        cut = suffix.end()
        first, second = text[:cut], text[cut:]
        if (
            len(first) >= 6
            and len(second) >= 6
            and ORG_NAME.match(first)
            and ORG_NAME.match(second)
            and _ISSUER_START.match(second)
        ):
            return [first, *_unglued_orgs(second)]
    return [text]


def _whole_org_lines(header: Iterable[tuple[int, Line]]) -> list[str]:
    """The organisation names of consecutive header lines that are nothing else, from the first on."""
    names = []
    for _, ln in header:
        text = squash(ln.text)
        if not ORG_NAME.match(text) or is_header_element(text):
            break
        names.append(text)
    return names


def _is_name_tail(text: str, above: str) -> bool:
    """Whether `text` is the wrapped end of an issuer name begun on the line `above`.

    True when `text` is only suffix words (`办公室`, `领导小组办公室`) and the two lines together
    form a name; `above` must be plain Han text, not a header element of its own.
    """
    if not text or not regex.fullmatch(rf"{ORG_SUFFIX}+", text):
        return False
    if not regex.fullmatch(r"[\p{Han}（）()·]+", above) or is_header_element(above) or above in MARKINGS:
        return False
    return bool(ORG_NAME.match(above + text))


def extract_issuer(lines: list[Line], web_meta: dict[str, str] | None = None) -> str | None:
    """发文机关: 发电单位, then `X文件`, the title's prefix, the signature, web metadata.

    Joint issuers are joined with 、 in the order printed.
    """
    lines = split_header_lines(lines)
    return locate_issuer(lines, find_layout(lines), web_meta)[0]


def _split_addressees(text: str) -> list[str]:
    """Split a 主送机关 line on 、，, outside brackets; keep `各县、区（…）安委会` whole."""
    text = squash(text).rstrip("：:")
    parts: list[str] = []
    seps: list[str] = []
    depth, buf = 0, ""
    for ch in text:
        if ch in "（([【〔":
            depth += 1
        elif ch in "）)]】〕":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;":
            parts.append(buf)
            seps.append(ch)
            buf = ""
        else:
            buf += ch
    parts.append(buf)
    out: list[str] = []
    pending = ""
    for k, part in enumerate(parts):
        # `各县、区（…）安委会`: a bare 县/市/乡镇 before 、 qualifies the next piece, not an addressee.
        if k < len(seps) and seps[k] == "、" and len(part.removeprefix("各")) <= 2:
            pending += part + "、"
            continue
        out.append(pending + part)
        pending = ""
    return [p for p in out if p]


def locate_addressees(lines: list[Line], layout: Layout) -> tuple[list[str], int | None]:
    """主送机关 and its line number: the addressee line of `layout`, split."""
    if layout.addressee is None:
        return [], None
    return _split_addressees(lines[layout.addressee].text), lines[layout.addressee].line_no


def extract_addressees(lines: list[Line]) -> list[str]:
    """主送机关, the line ending in ： under the title, split into addressees."""
    lines = split_header_lines(lines)
    return locate_addressees(lines, find_layout(lines))[0]


def locate_issue_date(
    lines: list[Line],
    layout: Layout,
    web_meta: dict[str, str] | None = None,
) -> tuple[datetime.date | None, int | None]:
    """成文日期 and its line number (0 when it comes from web metadata)."""
    if layout.date is not None and (found := closing_date(lines[layout.date].text)):
        return found[0], lines[layout.date].line_no
    # A date line in the header (some web copies print the date above the title, some offices
    # between the title and the addressees: `睢政办〔2024〕22号` / title / `2024年6月12日`, fresh-H).
    for i in range(max(layout.header_end, min(layout.body_start, len(lines)))):
        if lines[i].cells is None and (found := closing_date(lines[i].text)):
            return found[0], lines[i].line_no
    # Last resort: the website's publication date (§5), a few days after the 成文日期 at most.
    for key in (
        "issue_date",
        "成文日期",
        "generated_date",
        "publish_date",
        "PubDate",
        "发布日期",
        "发布时间",
    ):
        if web_meta and web_meta.get(key) and (date := parse_date(web_meta[key])):
            return date, 0
    return None, None


def extract_issue_date(lines: list[Line], web_meta: dict[str, str] | None = None) -> datetime.date | None:
    """成文日期: the date line closing the body (after the signature), else web metadata."""
    lines = split_header_lines(lines)
    return locate_issue_date(lines, find_layout(lines), web_meta)[0]


# ---------------------------------------------------------------- base score (§4 Bases)
_BASE = regex.compile(
    r"(?<![项条类每])(?:基础分值|基础分|基准分值|基准分|基本分|满分)\s*(?:值)?\s*(?:为|是|按|[:：])?\s*"
    r"(?P<v>\d+(?:\.\d+)?)\s*分"
)
_SCALE = regex.compile(r"(?P<s>百|千)分制")
_ITEM_OWN = regex.compile(r"(?:该项|本项|每项|此项|单项)$")
_HEADER_BASE = regex.compile(r"^(?:总分|总得分|得分|考核得分|合计)[（(](?:满分)?(?P<v>\d+(?:\.\d+)?)分[）)]$")


def locate_base_score(lines: list[Line]) -> tuple[float, int | None]:
    """基础分 and the line stating it (None: the default base, stated nowhere)."""
    found: list[tuple[float, int]] = []
    for ln in lines:
        # The base stated in a score column's header (`总分（24分）`, field survey §4), as a cell or
        # as a line of its own where the site flattened the table one cell per line.
        # Every pattern here ends in 分 (`…分）`, `基础分…N分`, `百分制`): a line without one is skipped.
        for cell in ln.cells if ln.cells is not None else (ln.text,):
            # A header's base closes its bracket: `总分（24分）`.
            if (
                "分" in cell
                and cell.rstrip().endswith(("）", ")"))
                and (m := _HEADER_BASE.match(squash(cell)))
            ):
                found.append((float(m["v"]), ln.line_no))
        if ln.cells is not None or "分" not in ln.text:
            continue
        text = squash(ln.text)
        # _BASE names its base (基础分, 基准分, 基本分, 满分) and _SCALE prints 分制: most lines do neither.
        has_base = "满分" in text or "基础分" in text or "基准分" in text or "基本分" in text
        for m in _BASE.finditer(text) if has_base else ():
            # An item's own maximum (`该项满分5分`, `本项基础分10分`) is not the document's base.
            if _ITEM_OWN.search(text[max(0, m.start() - 4) : m.start()]):
                continue
            found.append((float(m["v"]), ln.line_no))
        if "分制" in text and (m := _SCALE.search(text)):
            found.append((100.0 if m["s"] == "百" else 1000.0, ln.line_no))
    if not found:
        return DEFAULT_BASE_SCORE, None
    # Section weights (`组织领导（20分）`) never beat the whole-document base: take the largest.
    return max(found, key=lambda f: f[0])


def extract_base_score(lines: list[Line]) -> float:
    """基础分: 100 unless the document states another base (`基础分100分`, `满分1000分`, `千分制`)."""
    return locate_base_score(split_header_lines(lines))[0]


# ---------------------------------------------------------------- attachments
_ATTACH_NUMBERED = regex.compile(r"^(?:\d{1,2}\s*[.、．]|[（(]\d{1,2}[）)])")
_ATTACH_ITEM = regex.compile(r"^(?:附件[:：]?)?\s*(?:\d{1,2}\s*[.、．:：]|[（(]\d{1,2}[）)])\s*")


def locate_attachments(lines: list[Line], layout: Layout) -> tuple[list[str], int | None]:
    """附件说明 entries and the line they start on, between the body start and the date (or under it)."""
    end = layout.date if layout.date is not None else len(lines)
    found = _locate_attachments_in(lines, layout.body_start, end)
    if found[0] or layout.date is None:
        return found
    # Some copies print the 附件说明 under the date instead of above it.
    return _locate_attachments_in(lines, layout.date + 1, len(lines))


_ATTACH_HEAD = regex.compile(r"^附件[:：]")


def _locate_attachments_in(lines: list[Line], begin: int, end: int) -> tuple[list[str], int | None]:
    for i in range(begin, end):
        text = squash(lines[i].text)
        if lines[i].cells is not None or not _ATTACH_HEAD.match(text):
            continue
        items = [_ATTACH_ITEM.sub("", _ATTACH_HEAD.sub("", text))]
        # Entries after the first are on their own lines, numbered (`2.各县区扣分原因`).
        for j in range(i + 1, end):
            nxt = squash(lines[j].text)
            if lines[j].cells is not None or not _ATTACH_NUMBERED.match(nxt):
                break
            items.append(_ATTACH_ITEM.sub("", nxt))
        return [it for it in items if it], lines[i].line_no
    return [], None


def extract_attachments(lines: list[Line]) -> list[str]:
    """附件说明 entries (GB/T 9704 §7.3.4), numbering removed, text as printed."""
    lines = split_header_lines(lines)
    return locate_attachments(lines, find_layout(lines))[0]
