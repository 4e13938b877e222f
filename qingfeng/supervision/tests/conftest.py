"""Fixtures of the supervision tests (the settable clock lives in factories.py)."""

from __future__ import annotations

import pytest

from qingfeng.supervision.tests.factories import clock  # noqa: F401 - the `clock` fixture


@pytest.fixture(autouse=True)
def _without_the_matrix_tasks(request):  # type: ignore[no-untyped-def]
    """The session cast carries a deployment and a task per bureau for the permission matrix; these tests count
    tasks, numbers and notices of their own, so inside each test's transaction those are put out of sight."""
    if "cast" not in request.fixturenames:
        return
    request.getfixturevalue("cast")
    from django.db.models import Q
    from django.utils import timezone

    from qingfeng.core.models import Notification
    from qingfeng.supervision.models import Deployment, Task, TaskPart
    from tests.permission_matrix import SUPERVISION_TITLE

    now = timezone.now()
    matrix_tasks = Task.all_objects.filter(Q(title=SUPERVISION_TITLE) | Q(title__startswith="【矩阵测试"))
    TaskPart.all_objects.filter(task__in=matrix_tasks).update(deleted_at=now)
    matrix_tasks.update(deleted_at=now)
    Deployment.all_objects.filter(title="矩阵测试部署").update(deleted_at=now)
    Notification.objects.filter(body__contains="矩阵测试").delete()
    Notification.objects.filter(title__contains="矩阵测试").delete()
