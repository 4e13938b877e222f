"""`qingfeng scale-data` through the command, in the test database (which holds the demo world: --force)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from qingfeng.core import audit
from qingfeng.integrity.models import DisciplineRecord, Filing
from qingfeng.org.models import Branch, Department, Person, Unit, User
from qingfeng.rectification.models import Finding, Measure
from qingfeng.supervision.models import Deployment, Task, TaskPart

SMALL = ["--units", "6", "--people", "120", "--tasks", "900", "--findings", "60", "--audit", "500"]
TODAY = "2025-11-12"  # a Wednesday: the anchor is the day itself


class Rollback(Exception):
    pass


def _generate(tmp_path, *extra: str) -> dict:
    manifest = tmp_path / "manifest.json"
    call_command("scale-data", *SMALL, "--today", TODAY, "--manifest", str(manifest), "--force", *extra)
    return json.loads(manifest.read_text("utf-8"))


def _fingerprint(first_task: int) -> list:
    rows = Task.all_objects.filter(pk__gte=first_task).order_by("pk")
    return list(rows.values_list("unit__name", "year", "seq", "title", "status", "deadline", "percent"))


def test_refuses_a_database_with_other_data_unless_forced(cast) -> None:
    with pytest.raises(CommandError, match="已有非生成的数据"):
        call_command("scale-data", *SMALL, "--today", TODAY)
    assert not Unit.objects.filter(code__startswith="SD-").exists()


def test_production_mode_refuses_to_generate(cast, settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产模式"):
        call_command("scale-data", *SMALL, "--force")


def test_bad_sizes_are_refused_in_chinese(cast) -> None:
    with pytest.raises(CommandError, match="人数至少"):
        call_command("scale-data", "--units", "50", "--people", "10", "--force")


def test_generates_consistent_data_that_the_pages_and_the_audit_chain_accept(cast, tmp_path, client) -> None:
    tasks_before = Task.all_objects.count()
    data = _generate(tmp_path)
    counts = data["counts"]
    assert counts["units"] == Unit.objects.filter(code__startswith="SD-").count() == 6
    assert Task.all_objects.count() - tasks_before == counts["tasks"] == 900
    assert Finding.objects.filter(unit__code__startswith="SD-").count() == counts["findings"] == 60
    generated = Task.objects.filter(unit__code__startswith="SD-")
    # Every status, open ones among them, and each task with exactly one lead part.
    assert set(generated.values_list("status", flat=True)) >= {Task.Status.DONE, Task.Status.IN_PROGRESS}
    assert generated.exclude(status=Task.Status.DONE).count() == counts["open_tasks"] > 0
    assert generated.filter(status=Task.Status.IN_PROGRESS, deadline__lt=dt.date(2025, 11, 12)).exists()
    assert TaskPart.objects.filter(task__in=generated, role=TaskPart.Role.LEAD).count() == 900
    # A task's lead leader 分管 its lead department; a measure's task is numbered with the others.
    for task in generated.select_related("lead_leader").prefetch_related("parts")[:50]:
        lead = next(p for p in task.parts.all() if p.role == TaskPart.Role.LEAD)
        assert lead.department in task.lead_leader.supervised_departments.all()
    assert Measure.objects.filter(unit__code__startswith="SD-").count() == counts["measures"] > 0
    # The chain continues from the demo's events and verifies end to end.
    result = audit.verify()
    assert result.ok, result.reason
    # The manifest's accounts log in with the demo password and open the manifest's pages.
    response = client.post(reverse("login"), {"username": data["logins"]["clerk"], "password": data["password"]})
    assert response.status_code == 302 and response["Location"] == "/", response
    pages = data["pages"]
    for url in (
        reverse("core:workbench"),
        reverse("supervision:board"),
        reverse("supervision:deployment_detail", args=[pages["deployment"]]),
        reverse("rectification:ledger", args=[pages["round"]]),
    ):
        assert client.get(url).status_code == 200, url
    city = User.objects.get(username=data["logins"]["city"])
    assert city.role_assignments.get().include_subunits
    assert Person.objects.filter(pk=data["person_ids"]["leader"], supervised_departments__isnull=False).exists()
    # Rows made afterwards by the application get fresh ids (PostgreSQL's sequences moved past the generated ones).
    bureau = Unit.objects.get(pk=pages["unit"])
    Branch.objects.create(unit=bureau, name="新建支部")
    Department.objects.create(unit=bureau, name="新建科室")
    Deployment.objects.create(unit=bureau, title="新部署", date=dt.date(2025, 11, 12), created_by=city)
    with pytest.raises(CommandError, match="已有生成的数据"):
        call_command("scale-data", *SMALL, "--today", TODAY, "--force")


def test_the_same_seed_and_day_give_the_same_data(cast, tmp_path) -> None:
    first = Task.all_objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    prints, extra = [], []
    for _ in range(2):
        try:
            with transaction.atomic():
                _generate(tmp_path, "--seed", "5")
                prints.append(_fingerprint(first))
                # 两个责任 and 廉政建设 records too (duties.py draws from its own stream of the same seed).
                extra.append(
                    list(
                        Filing.objects.filter(unit__code__startswith="SD-")
                        .order_by("pk")
                        .values_list("unit__name", "kind", "year", "filed_on", "tables")
                    )
                    + list(
                        DisciplineRecord.objects.filter(unit__code__startswith="SD-")
                        .order_by("pk")
                        .values_list("unit__name", "date", "form", "measure", "uid")
                    )
                )
                raise Rollback
        except Rollback:
            pass
    assert prints[0] == prints[1] and len(prints[0]) == 900
    assert extra[0] == extra[1] and len(extra[0]) == 800 + 80
