"""`make bench`: a small latency harness for 清风.

It starts the production server (`qingfeng serve`) on a free local port against a throwaway database with the
demo data, logs in as a few demo roles and prints p50/p95 per case. Cases live in `bench.cases` (a registry:
name → function taking a logged-in session and returning timings); results are written as JSON so that a later
run can be compared with `--compare`.
"""

from __future__ import annotations
