"""Pure parsers: (bytes, name) -> records. No filesystem, clock or environment here."""

PARSER_VERSION = "0.1.0"
