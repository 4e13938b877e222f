"""`qingfeng scale-data`'s 舆情 incidents (issue 8): a tenth of the tasks, counted in the manifest and the closing
line, steps in order with their times on the incident, a few open with running clocks, the same for a seed and a
day, and the 舆情看板 and its raw-SQL floor on them."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F

from bench import floor
from qingfeng.opinion.models import STEP_FIELD, STEP_ORDER, IncidentStep, Level, OpinionIncident, Step
from qingfeng.org.models import User
from qingfeng.scaledata.sizes import PRESETS

SMALL = ["--units", "6", "--people", "120", "--tasks", "900", "--findings", "60", "--audit", "200"]
TODAY = "2025-11-12"
GENERATED = {"unit__code__startswith": "SD-"}


class Rollback(Exception):
    pass


def _generate(tmp_path, *extra: str) -> tuple[dict, str]:
    manifest, out = tmp_path / "manifest.json", StringIO()
    call_command("scale-data", *SMALL, "--today", TODAY, "--manifest", str(manifest), "--force", *extra, stdout=out)
    return json.loads(manifest.read_text("utf-8")), out.getvalue()


def test_preset_sizes() -> None:
    assert PRESETS["full"].incidents == 100_000
    assert PRESETS["small"].incidents == 10_000
    assert PRESETS["tiny"].incidents == 600


def _indexes() -> list[str]:
    tables = [OpinionIncident._meta.db_table, IncidentStep._meta.db_table]
    with connection.cursor() as cursor:
        return sorted(
            name
            for table in tables
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"]
        )


def test_generated_incidents_follow_the_manifest_and_serve_the_dashboard(cast, tmp_path, client) -> None:
    indexes = _indexes()
    data, out = _generate(tmp_path)
    counts = data["counts"]
    closing = next(line for line in out.splitlines() if line.startswith("完成，"))
    expected = (
        f"；{counts['incidents']:,} 起舆情事件（处置中 {counts['open_incidents']:,} 起，"
        f"{counts['incident_steps']:,} 条处置环节）。"
    )
    assert closing.endswith(expected), closing

    incidents = OpinionIncident.objects.filter(**GENERATED)
    assert counts["incidents"] == incidents.count() == 90
    assert counts["open_incidents"] == incidents.filter(handled_at__isnull=True).count() == 5
    assert counts["incident_steps"] == IncidentStep.objects.filter(**GENERATED).count()
    levels = dict(incidents.values_list("level").annotate(n=Count("id")).order_by())
    assert levels[Level.ORDINARY] > sum(n for level, n in levels.items() if level != Level.ORDINARY)
    assert not incidents.exclude(department__unit=F("unit")).exists()

    # Steps in their order, each at the time the incident holds for it, the current step the last recorded.
    now = dt.datetime.fromisoformat(data["now"])
    for incident in incidents.prefetch_related("steps"):
        steps = {s.step: s.at for s in incident.steps.all()}
        ordered = [s for s in STEP_ORDER if s in steps]
        assert ordered == STEP_ORDER[: len(ordered)], (incident.pk, ordered)
        assert [steps[s] for s in ordered] == sorted(steps[s] for s in ordered)
        assert incident.step == ordered[-1]
        for step, at in steps.items():
            assert getattr(incident, STEP_FIELD[step]) == at
            assert at <= now
        if Step.PRESS in steps:
            assert incident.level in (Level.MAJOR, Level.EXTRA) and steps[Step.PRESS] > steps[Step.REPORTED]
        assert (incident.handled_at is None) == (Step.HANDLED not in steps)

    # The dashboard of the bench case's viewers: the bureau's secretary, the city's 纪委 (every unit).
    for role, seen in (("secretary", None), ("jiwei", counts["open_incidents"])):
        client.force_login(User.objects.get(pk=data["user_ids"][role]))
        response = client.get("/opinion/dashboard/")
        assert response.status_code == 200
        if seen is not None:
            assert response.context["open_total"] == seen
    assert _indexes() == indexes  # the secondary indexes dropped for the load (PostgreSQL) are back
    figures = floor.measure(data, 1, 1.0, {"opinion/secretary", "opinion/jiwei"})["pages"]
    assert all("error" not in f and f["rows"] > 0 for f in figures.values()), figures


def test_the_same_seed_and_day_give_the_same_incidents(cast, tmp_path) -> None:
    prints = []
    for _ in range(2):
        try:
            with transaction.atomic():
                _generate(tmp_path, "--seed", "5")
                prints.append(
                    list(
                        OpinionIncident.objects.filter(**GENERATED)
                        .order_by("pk")
                        .values_list("unit__name", "title", "level", "step", "found_at", "handled_at", "link")
                    )
                )
                raise Rollback
        except Rollback:
            pass
    assert prints[0] == prints[1] and len(prints[0]) == 90
