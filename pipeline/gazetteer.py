"""GB/T 2260 codes (adcode) for county-level units, from the cpca gazetteer.

cpca resolves a bare county name to some county of that name anywhere in
China (`新县` exists once, `城关区` several times), so the issuer's city —
`信阳市安全生产委员会办公室` → 信阳市 — is put in front to pick the right one, and
a code is kept only when the resolved county is the unit itself.
"""

from __future__ import annotations

from functools import lru_cache

import regex

_COUNTY = regex.compile(r"^[\p{Han}]{1,10}(?:自治县|自治旗|县|区|市|旗)$")
_CITY = regex.compile(r"^(?P<city>[\p{Han}]{2,6}?(?:市|州|盟|地区))")


def _city_of(issuer: str | None) -> str:
    match = _CITY.match(issuer or "")
    return match.group("city") if match else ""


def adcode_of(unit: str, issuer: str | None) -> str | None:
    """The adcode of a county-level unit, or None when it does not resolve unambiguously."""
    if not _COUNTY.match(unit) or unit.endswith(("管理区", "开发区", "高新区", "示范区", "新区")):
        return None
    return _lookup(unit, _city_of(issuer))


@lru_cache(maxsize=4096)
def _lookup(unit: str, city: str) -> str | None:
    import cpca  # loads its gazetteer on first use (about a second)

    query = unit if unit.startswith(city) else city + unit
    frame = cpca.transform([query], pos_sensitive=False)
    if frame.empty:
        return None
    row = frame.iloc[0]
    county, code = row.get("区"), row.get("adcode")
    if not county or not code or not isinstance(county, str):
        return None
    # The county found must be this unit (not its city's code when the county is unknown).
    if unit.endswith(county) or county.endswith(unit):
        return str(code)
    return None
