"""What the scale cases share within one run: the manifest, the size's knobs, the logged-in sessions and the figures
measured once per run (the raw-SQL floors, the query counts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.concurrency import SessionPool
    from bench.manifest import Manifest


@dataclass(frozen=True)
class Profile:
    """The knobs of one size: how long each part may take."""

    users: int  # concurrent users of the latency runner
    page_n: int  # recorded requests per page and role (all users together)
    page_budget_s: float  # a page case stops issuing requests after this long (a slow page ends early)
    floor_n: int  # repetitions of each raw-SQL floor
    floor_budget_s: float  # … but no longer than this per floor (at least 3 repetitions)
    wrk_duration_s: int
    wrk_connections: int
    n_scale: float  # the default n of the older cases (login, workbench, decompose) is multiplied by this


PROFILES: dict[str, Profile] = {
    # CI: the whole suite in under a minute on SQLite; 4 users (fewer log-ins), short windows.
    "tiny": Profile(4, 20, 3, 5, 1, 2, 50, 0.2),
    "small": Profile(10, 200, 30, 20, 10, 5, 50, 1.0),
    "full": Profile(10, 300, 60, 20, 20, 10, 50, 1.0),
}
PROFILES["none"] = PROFILES["small"]


@dataclass
class RunState:
    size: str
    profile: Profile
    manifest: Manifest | None = None
    manifest_path: Path | None = None
    server_pgid: int | None = None
    vendor: str = ""
    database: str | None = None  # the database's name (PostgreSQL: whose backends' CPU counts)
    pool: SessionPool | None = None
    cache: dict[str, Any] = field(default_factory=dict)  # figures measured once per run (floors, query counts)

    @property
    def postgres(self) -> bool:
        return self.vendor == "postgresql"
