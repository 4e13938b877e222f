"""The worker's heartbeat: `qingfeng worker` writes the time of each round; /healthz and `qingfeng doctor` call it
stale after three intervals without one (a worker that hangs or died, whatever systemd believes)."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

WORKER = "worker"
STALE_AFTER_INTERVALS = 3


def beat(name: str = WORKER, interval_seconds: int | None = None) -> None:
    """Record that `name` finished a round now (one row per process name, overwritten)."""
    from qingfeng.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={
            "beat_at": timezone.now(),
            "interval_seconds": interval_seconds or settings.SCAN_INTERVAL_SECONDS,
            "host": socket.gethostname()[:100],
            "pid": os.getpid(),
        },
    )


@dataclass
class WorkerState:
    status: str  # "ok", "stale" or "missing"
    beat_at: datetime | None = None
    age_seconds: int | None = None
    stale_after_seconds: int = 0
    host: str = ""
    pid: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def describe(self) -> str:
        """In Chinese, for the doctor and the log."""
        if self.status == "missing":
            return "从未收到后台任务（qingfeng worker）的心跳"
        when = timezone.localtime(self.beat_at).strftime("%Y-%m-%d %H:%M:%S") if self.beat_at else "?"
        where = f"（{self.host}，进程 {self.pid}）" if self.host else ""
        if self.status == "stale":
            return f"后台任务最近一轮在 {when}{where}，已 {self.age_seconds} 秒无心跳（超过 {self.stale_after_seconds} 秒）"
        return f"后台任务正常：最近一轮在 {when}{where}，{self.age_seconds} 秒前"


def worker_state(name: str = WORKER) -> WorkerState:
    """The heartbeat of `name`: stale after 3 × the interval the worker runs at (at least the configured one)."""
    from qingfeng.core.models import WorkerHeartbeat

    row = WorkerHeartbeat.objects.filter(name=name).first()
    if row is None:
        return WorkerState("missing", stale_after_seconds=STALE_AFTER_INTERVALS * settings.SCAN_INTERVAL_SECONDS)
    interval = max(row.interval_seconds, settings.SCAN_INTERVAL_SECONDS)
    stale_after = STALE_AFTER_INTERVALS * interval
    age = max(0, int((timezone.now() - row.beat_at).total_seconds()))
    status = "ok" if age <= stale_after else "stale"
    return WorkerState(status, row.beat_at, age, stale_after, row.host, row.pid)
