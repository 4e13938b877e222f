"""The Task model's single-row values: 督办编号, 逾期, 超时未签收, and the uniqueness of the number."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.tests.factories import D, at, lead_part, make_task


def test_the_number_reads_like_a_dubandan(cast, clock) -> None:
    task = make_task(cast)
    Task.objects.filter(pk=task.pk).update(seq=15)
    assert Task.objects.get(pk=task.pk).number == "督〔2023〕15号"
    assert str(Task.objects.get(pk=task.pk)) == "督〔2023〕15号 落实财务报销审核制度"


def test_a_number_is_unique_per_unit_and_year(cast, clock) -> None:
    first, second = make_task(cast), make_task(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=second.pk).update(seq=first.seq)


def test_an_open_task_past_its_deadline_shows_overdue(cast, clock) -> None:
    task = make_task(cast)
    assert task.display_status(D(2023, 9, 28)) == "待签收"
    assert task.is_overdue(D(2023, 9, 29))
    assert task.display_status(D(2023, 9, 29)) == "待签收（逾期）"
    task.status = Task.Status.DONE
    assert not task.is_overdue(D(2023, 9, 29))
    assert task.display_status(D(2023, 9, 29)) == "已办结"


def test_a_part_unsigned_past_its_limit_is_flagged(cast, clock) -> None:
    part = lead_part(make_task(cast))
    assert not part.is_sign_overdue(at(2023, 9, 4, 17, 30))
    assert part.is_sign_overdue(at(2023, 9, 4, 17, 31))
    part.status = TaskPart.Status.IN_PROGRESS
    assert not part.is_sign_overdue(at(2023, 9, 5))
