"""One module per input format; each returns a parsers.model.ReadResult."""
