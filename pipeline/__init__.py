"""Everything with I/O: discovery, batching, reconciliation, Parquet, reports, the CLI."""
