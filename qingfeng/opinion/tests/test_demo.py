"""The demo's 舆情处置: a rule of the bureau and three incidents at different steps, one overdue on the dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingfeng.opinion import demo
from qingfeng.opinion.models import OpinionIncident, ResponseStatement, Step

pytestmark = pytest.mark.django_db


def test_the_demo_extends_once_with_incidents_at_three_steps(cast, login) -> None:  # type: ignore[no-untyped-def]
    assert not demo.exists(cast)
    demo.extend(cast)
    assert demo.exists(cast)
    steps = dict(OpinionIncident.objects.filter(unit=cast.bureau, import_batch=None).values_list("title", "step"))
    assert steps[demo.FIRST] == Step.REVIEWED and Step.RESPONDED in steps.values() and Step.REPORTED in steps.values()
    assert ResponseStatement.objects.filter(unit=cast.bureau, status="released").count() == 1
    board = login("secretary").get(reverse("opinion:dashboard")).content.decode()
    assert "城区道路施工扬尘扰民" in board and "clock-overdue" in board
