"""Pure parsers: (bytes, name) -> records. No filesystem, clock or environment here."""

PARSER_VERSION = "0.1.0"


def clear_caches() -> None:
    """Forget every memoised parse (entry texts, header cells); benchmarks call it between runs.

    The caches only ever return what the uncached functions would; clearing them makes a
    repeated run over the same files cost what the first one did.
    """
    from parsers import entries
    from parsers.tables import roles as headers

    entries._parse_entry_cached.cache_clear()
    entries._labels_end.cache_clear()
    headers.cell_role.cache_clear()
    headers.glued_cell_role.cache_clear()
