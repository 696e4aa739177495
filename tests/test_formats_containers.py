"""Archives: members as documents, GBK names, and every limit refusing with its message."""

from __future__ import annotations

import io
import random
import time
import tracemalloc
import zipfile
from pathlib import Path

import py7zr
import pytest

from parsers.model import DamagedInput, EncryptedInput, UnsupportedInput
from parsers.readers.containers import (
    ArchiveRefused,
    ContainerLimits,
    archive_members,
)
from tests.test_formats_ofd import encrypted_flag_set


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def gbk_named_zip(members: dict[str, bytes]) -> bytes:
    """A zip as Chinese Windows makes it: GBK member names, the UTF-8 flag (bit 11) unset.

    zipfile always writes non-ASCII names as flagged UTF-8, so each member is written under an
    ASCII placeholder of the GBK name's length and the placeholder's bytes are replaced."""
    out = io.BytesIO()
    raw = [n.encode("gbk") for n in members]
    holders = [chr(ord("A") + k).encode() * len(r) for k, r in enumerate(raw)]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for holder, data in zip(holders, members.values(), strict=True):
            z.writestr(holder.decode(), data)
    made = out.getvalue()
    for holder, r in zip(holders, raw, strict=True):
        assert made.count(holder) == 2  # local header and central directory
        made = made.replace(holder, r)
    return made


def test_members_come_out_with_their_bytes_and_paths() -> None:
    data = zip_of({"一月/通报.txt": b"a", "__MACOSX/._x": b"fork", ".DS_Store": b"", "二月/": b""})
    got = [(m.path, m.data, m.error) for m in archive_members(data, "批.zip")]
    assert got == [("一月/通报.txt", b"a", None)]


def test_gbk_member_names_are_decoded_and_utf8_names_kept() -> None:
    names = ["关于2022年7月考核情况的通报.docx", "附件1得分表.xlsx"]
    data = gbk_named_zip({n: f"正文：{n}".encode() for n in names})
    assert b"\xb8\xbd\xbc\xfe1" in data  # 附件1 in GBK
    got = {m.path: m.data for m in archive_members(data, "通报.zip")}
    assert got == {n: f"正文：{n}".encode() for n in names}
    utf8 = zip_of({"信阳/附件1.xlsx": b"x"})
    assert [m.path for m in archive_members(utf8, "u.zip")] == ["信阳/附件1.xlsx"]


def test_one_gigabyte_zip_bomb_is_refused_within_seconds_in_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    zero = bytes(_MIB)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("报告.txt", "w", force_zip64=True) as member:
            for _ in range(1024):
                member.write(zero)
    data = bomb.read_bytes()
    assert len(data) < 8 * _MIB
    tracemalloc.start()
    began = time.monotonic()
    (member,) = list(archive_members(data + b"", "bomb.zip"))
    seconds = time.monotonic() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert member.data is None and isinstance(member.error, ArchiveRefused)
    assert "bomb.zip!/报告.txt: unpacks to 1.0 GiB from" in str(member.error)
    assert "a zip bomb?); refused without unpacking it" in str(member.error)
    assert seconds < 5 and peak < 32 * _MIB


def test_bomb_beyond_the_total_is_refused_as_a_whole() -> None:
    data = zip_of({"a.txt": bytes(3 * _MIB), "b.txt": bytes(3 * _MIB)})
    limits = ContainerLimits(max_total_bytes=4 * _MIB)
    with pytest.raises(ArchiveRefused, match=r"declare 6\.0 MiB unpacked, more than the 4\.0 MiB"):
        list(archive_members(data, "t.zip", limits))


def test_ten_thousand_members_are_refused_within_seconds() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for k in range(10_000):
            z.writestr(f"m{k}.txt", b"")
    began = time.monotonic()
    with pytest.raises(ArchiveRefused, match="holds 10000 members; tongbao expands 5000 at most"):
        next(archive_members(out.getvalue(), "many.zip"))
    assert time.monotonic() - began < 5


def test_member_over_the_size_limit_is_refused_but_its_neighbours_read() -> None:
    noise = random.Random(7).randbytes(2 * _MIB)  # does not compress: no bomb, just large
    data = zip_of({"big.pdf": noise, "small.txt": b"ok"})
    got = list(archive_members(data, "s.zip", ContainerLimits(max_member_bytes=_MIB)))
    assert "s.zip!/big.pdf: larger than the 1.0 MiB tongbao reads" in str(got[0].error)
    assert (got[1].path, got[1].data) == ("small.txt", b"ok")


def test_nested_archives_expand_to_the_depth_limit() -> None:
    level3 = zip_of({"c.txt": b"3"})
    level2 = zip_of({"b.txt": b"2", "深.zip": level3})
    level1 = zip_of({"a.txt": b"1", "内.zip": level2})
    got = list(archive_members(level1, "外.zip"))
    assert [(m.path, m.data) for m in got] == [
        ("a.txt", b"1"),
        ("内.zip!/b.txt", b"2"),
        ("内.zip!/深.zip", None),
    ]
    assert "an archive nested 3 levels deep; tongbao expands 2 levels at most" in str(got[2].error)
    deeper = list(archive_members(level1, "外.zip", ContainerLimits(max_depth=3)))
    assert ("内.zip!/深.zip!/c.txt", b"3") in [(m.path, m.data) for m in deeper]


def test_encrypted_member_is_refused_with_what_to_do() -> None:
    data = encrypted_flag_set(zip_of({"密.docx": b"x"}))
    (member,) = list(archive_members(data, "e.zip"))
    assert isinstance(member.error, EncryptedInput)
    assert "e.zip!/密.docx: the member is password-protected; extract it" in str(member.error)


def test_truncated_zip_and_damaged_member() -> None:
    data = zip_of({"a.txt": b"hello " * 1000})
    with pytest.raises(DamagedInput, match=r"the zip archive is damaged.*truncated"):
        list(archive_members(data[: len(data) // 2], "cut.zip"))
    stored = bytearray(zip_of({"a.txt": b"hello " * 100}, zipfile.ZIP_STORED))
    stored[40] ^= 0xFF  # one byte of the member's data: its CRC no longer matches
    (member,) = list(archive_members(bytes(stored), "crc.zip"))
    assert isinstance(member.error, DamagedInput) and "crc.zip!/a.txt: the member cannot be unpacked" in str(
        member.error
    )


def test_wrong_suffix_and_rar_without_a_tool() -> None:
    with pytest.raises(UnsupportedInput, match=r"not a \.zip, \.7z or \.rar archive"):
        list(archive_members(b"%PDF-1.4", "x.zip"))
    try:
        import rarfile

        rarfile.tool_setup()
        pytest.skip("an unrar tool is installed here")
    except Exception:
        pass
    with pytest.raises(UnsupportedInput, match=r"a \.rar archive, and no RAR unpacker is installed"):
        list(archive_members(b"Rar!\x1a\x07\x01\x00" + bytes(64), "x.rar"))


def seven_zip_of(members: dict[str, bytes], password: str | None = None) -> bytes:
    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w", password=password) as z:
        for name, data in members.items():
            z.writestr(data, name)
    return out.getvalue()


def test_seven_zip_members_and_limits() -> None:
    data = seven_zip_of({"通报/一月.txt": b"one", "二月.txt": b"two"})
    assert sorted((m.path, m.data) for m in archive_members(data, "a.7z")) == [
        ("二月.txt", b"two"),
        ("通报/一月.txt", b"one"),
    ]
    bomb = seven_zip_of({"zeros.txt": bytes(8 * _MIB)})
    with pytest.raises(ArchiveRefused, match=r"declares 8\.0 MiB unpacked from .* a bomb\?"):
        list(archive_members(bomb, "b.7z"))
    with pytest.raises(DamagedInput, match="the 7z archive is damaged"):
        list(archive_members(data[:40], "cut.7z"))


def test_seven_zip_with_a_password() -> None:
    data = seven_zip_of({"一月.txt": b"one"}, password="secret")
    (member,) = list(archive_members(data, "p.7z"))
    assert isinstance(member.error, EncryptedInput) and "password-protected" in str(member.error)


_MIB = 1024 * 1024


def test_listing_unpacks_only_nested_archives_and_select_unpacks_one_member() -> None:
    inner = zip_of({"b.txt": b"2", "c.txt": b"3"})
    outer = zip_of({"a.txt": b"1", "内.zip": inner})
    listed = [(m.path, m.data, m.error) for m in archive_members(outer, "外.zip", names_only=True)]
    assert listed == [("a.txt", None, None), ("内.zip!/b.txt", None, None), ("内.zip!/c.txt", None, None)]
    (one,) = list(archive_members(outer, "外.zip", select="内.zip!/c.txt"))
    assert (one.path, one.data) == ("内.zip!/c.txt", b"3")
    seven = seven_zip_of({"x.txt": b"x", "y.txt": b"y"})
    assert [m.path for m in archive_members(seven, "s.7z", names_only=True)] == ["x.txt", "y.txt"]
    assert [(m.path, m.data) for m in archive_members(seven, "s.7z", select="y.txt")] == [("y.txt", b"y")]
