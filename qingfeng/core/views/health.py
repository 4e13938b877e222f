from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qingfeng.core import health, heartbeat


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For a monitor: the database, the worker's heartbeat and free disk space, 200 when all is well and 503 with
    the problems in Chinese otherwise. A missing or stale worker fails it only where a worker must run
    (HEALTH_REQUIRE_WORKER, on in production). No paths or versions: the route is public."""
    problems: list[str] = []
    database = health.database_ok()
    if not database:
        problems.append("数据库无法连接")

    worker: dict[str, Any] = {"status": "unknown", "required": settings.HEALTH_REQUIRE_WORKER}
    if database:
        try:
            state = heartbeat.worker_state()
        except DatabaseError:  # the heartbeat table not migrated yet
            state = None
        if state is not None:
            worker.update(
                status=state.status,
                last_beat=state.beat_at.isoformat() if state.beat_at else None,
                age_seconds=state.age_seconds,
                stale_after_seconds=state.stale_after_seconds,
            )
    if worker["required"] and worker["status"] != "ok":
        problems.append("后台任务无心跳" if worker["status"] != "stale" else "后台任务心跳超时")

    disks = health.disk_states()
    for disk in disks:
        if not disk.ok:
            problems.append(f"{'数据' if disk.label == 'data' else '附件'}目录剩余空间不足 {disk.min_free_mb} MB")
    body = {
        "status": "ok" if not problems else "error",
        "database": "ok" if database else "unavailable",
        "worker": worker,
        "disk": {
            "status": "ok" if all(d.ok for d in disks) else "low",
            **{d.label: {"free_mb": d.free_mb, "min_free_mb": d.min_free_mb} for d in disks},
        },
        "problems": problems,
    }
    return JsonResponse(body, status=200 if not problems else 503, json_dumps_params={"ensure_ascii": False})
