"""Arrow's buffers come from the C heap (malloc) in a process that ingests, unless the user chose
otherwise with ARROW_DEFAULT_MEMORY_POOL.

Imported before pyarrow: the pool is chosen once, when pyarrow first allocates, and
pa.set_memory_pool later does not reach the Parquet reader's and writer's own buffers. Arrow's
own allocator (mimalloc in the wheels) kept the pages a compaction's reads freed:
compacting 50 batches of 20 documents into one file raised the writing process's peak RSS by
16 MiB with it and by 4 MiB with the C heap, whose freed blocks the next reads and Python's own
objects reuse. That compaction, run at the end of a 10,000-file ingest and not of a 1,000-file
one, was what put the larger run's peak above the smaller's (issue 13).
"""

from __future__ import annotations

import os

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
