"""Reads of the two-responsibilities module. Visibility comes from org.access:

- 责任清单: the lists are the unit's published commitments, so everyone of the unit (every business role) and the
  superior (read-only) read the published lists; drafts are seen by the office, the secretary and the 纪检组长 only. The 三员
  see none (access.units_q never covers their roles).
- talks, 责任书 and 述责述廉 follow their models' access_scope (the whole-unit roles, the superior, and the people
  they are about).

Also the reads other apps call (the integrity app's 廉政档案 and 以身作则 page): talks_received, talks_given,
items_held."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qingfeng.org import access
from qingfeng.org.models import Person
from qingfeng.org.roles import Role
from qingfeng.responsibility.models import DutyReport, Letter, ResponsibilityItem, ResponsibilityList, Talk
from qingfeng.supervision import warnings
from qingfeng.supervision.models import Task

WHOLE = {Role.SECRETARY, Role.INSPECTOR, Role.CLERK}  # drafts too: they write the lists
MEMBERS = {Role.LEADER, Role.HEAD, Role.STAFF, Role.SUPERIOR}  # the published lists


def lists_q(user: Any) -> Q:
    return access.units_q(user, roles_=WHOLE, field="unit") | (
        access.units_q(user, roles_=MEMBERS, field="unit") & Q(status=ResponsibilityList.Status.PUBLISHED)
    )


def visible_lists(user: Any) -> QuerySet[ResponsibilityList]:
    return ResponsibilityList.objects.filter(lists_q(user)).select_related("unit", "leader")


def get_list(user: Any, pk: Any) -> ResponsibilityList:
    try:
        return visible_lists(user).get(pk=pk)
    except (ResponsibilityList.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("对象不存在") from exc


def visible_items(user: Any) -> QuerySet[ResponsibilityItem]:
    return ResponsibilityItem.objects.filter(rlist__in=ResponsibilityList.objects.filter(lists_q(user)))


def get_item(user: Any, pk: Any) -> ResponsibilityItem:
    try:
        return visible_items(user).select_related("rlist", "rlist__unit", "rlist__leader").get(pk=pk)
    except (ResponsibilityItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("对象不存在") from exc


# ------------------------------------------------------------------------------------------------ 落实情况

NOT_STARTED, IN_PROGRESS, DONE, OVERDUE, LONG, UNPUBLISHED = "未开始", "办理中", "已完成", "逾期", "长期坚持", "未发布"


@dataclass
class Progress:
    label: str  # 未开始 / 办理中 / 已完成 / 逾期 (长期坚持 while a 长期 item's task is open; 未发布; "" without task)
    colour: str  # the supervision task's 三色预警: green / yellow / red, "" when closed or without task
    task: Task | None  # the task read: a recurring item's current occurrence


def current_tasks(tasks: list[Task]) -> dict[int, Task]:
    """First task pk → its latest occurrence (a recurring task's next period is assigned with source_ref = the
    previous one's 督办编号): one query over the units' recurring module tasks, walked in memory."""
    recurring = [t for t in tasks if t.kind == Task.Kind.RECURRING]
    if not recurring:
        return {t.pk: t for t in tasks}
    units = {t.unit_id for t in recurring}
    earliest = min(t.year for t in recurring)
    rows = Task.objects.filter(
        unit_id__in=units, kind=Task.Kind.RECURRING, source=Task.Source.MODULE, year__gte=earliest
    ).values_list("pk", "unit_id", "year", "seq", "source_ref")
    successor: dict[tuple[int, str], int] = {}
    for pk, unit_id, _year, _seq, ref in rows:
        successor[(unit_id, ref)] = pk
    number = {pk: f"督〔{year}〕{seq}号" for pk, _u, year, seq, _r in rows}
    latest: dict[int, int] = {}
    for t in recurring:
        pk, seen = t.pk, 0
        while (t.unit_id, number.get(pk, "")) in successor and seen < 400:
            pk, seen = successor[(t.unit_id, number[pk])], seen + 1
        latest[t.pk] = pk
    wanted = {pk for first, pk in latest.items() if pk != first}
    loaded = {t.pk: t for t in Task.objects.filter(pk__in=wanted).prefetch_related("parts")} if wanted else {}
    out = {t.pk: t for t in tasks}
    for first, pk in latest.items():
        if pk in loaded:
            out[first] = loaded[pk]
    return out


def annotate_progress(items: list[ResponsibilityItem], *, today: dt.date | None = None) -> list[ResponsibilityItem]:
    """Set `.progress` on each item from its task (prefetched task__parts expected): 2 queries at most."""
    today = today or timezone.localdate()
    firsts = [i.task for i in items if i.task_id is not None and i.task is not None]
    current = current_tasks(firsts)
    shown = list(current.values())
    warnings.annotate(shown, today=today)
    for item in items:
        if item.task_id is None:
            label = UNPUBLISHED if item.rlist.status == ResponsibilityList.Status.DRAFT else ""
            item.progress = Progress(label if (item.deadline or item.frequency) else "", "", None)
            continue
        task = current[item.task_id]
        item.progress = Progress(_label(task, today), task.colour, task)
    return items


def _label(task: Task, today: dt.date) -> str:
    if task.status == Task.Status.DONE:
        return DONE
    if task.is_overdue(today):
        return OVERDUE
    if task.kind == Task.Kind.LONG_TERM and task.status != Task.Status.PENDING_SIGN:
        return LONG
    return NOT_STARTED if task.status == Task.Status.PENDING_SIGN else IN_PROGRESS


def list_items(rlist: ResponsibilityList) -> list[ResponsibilityItem]:
    """The list's items with their owners, people and 落实情况 (a fixed number of queries)."""
    items = list(
        rlist.items.select_related(
            "owner_person", "owner_department", "responsible_person", "task", "task__lead_leader"
        ).prefetch_related("task__parts")
    )
    for item in items:
        item.rlist = rlist
    return annotate_progress(items)


@dataclass
class ListFigures:
    total: int = 0
    done: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int | None:
        countable = self.done + self.open + self.overdue
        return round(100 * self.done / countable) if countable else None


def list_figures(lists: list[ResponsibilityList]) -> list[ResponsibilityList]:
    """Set `.figures` (items, 已完成, 办理中/未开始, 逾期) on each list: 3 queries for a page of lists."""
    by_list = {x.pk: x for x in lists}
    items = list(
        ResponsibilityItem.objects.filter(rlist_id__in=by_list)
        .select_related("task")
        .prefetch_related("task__parts")
        .order_by("rlist_id", "seq")
    )
    for item in items:
        item.rlist = by_list[item.rlist_id]
    annotate_progress(items)
    for x in lists:
        x.figures = figures_of([i for i in items if i.rlist_id == x.pk])
    return lists


def figures_of(items: list[ResponsibilityItem]) -> ListFigures:
    """The figures of items already annotated with their progress."""
    f = ListFigures()
    for item in items:
        f.total += 1
        label = item.progress.label
        if label == DONE:
            f.done += 1
        elif label == OVERDUE:
            f.overdue += 1
        elif label in (NOT_STARTED, IN_PROGRESS):
            f.open += 1
    return f


# ------------------------------------------------------------------------------------------------ talks


def visible_talks(user: Any) -> QuerySet[Talk]:
    return Talk.objects.filter(access.visible_q(user, Talk)).select_related("talker", "talkee", "unit")


def talks_received(person: Person) -> QuerySet[Talk]:
    """The talks `person` received, newest first (the 廉政档案 calls this; the caller decides who may see it)."""
    return Talk.objects.filter(talkee=person).select_related("talker", "talkee").order_by("-date", "-id")


def talks_given(person: Person) -> QuerySet[Talk]:
    return Talk.objects.filter(talker=person).select_related("talker", "talkee").order_by("-date", "-id")


def items_held(person: Person, year: int) -> QuerySet[ResponsibilityItem]:
    """The items of `year`'s published lists that `person` holds: as 责任主体, as 责任人, or as the leader whose
    一岗双责 list it is."""
    return (
        # the person's unit first: lists are indexed on (unit, year), and the OR below cannot use an index
        ResponsibilityItem.objects.filter(
            unit_id=person.unit_id, rlist__year=year, rlist__status=ResponsibilityList.Status.PUBLISHED
        )
        .filter(Q(owner_person=person) | Q(responsible_person=person) | Q(rlist__leader=person))
        .select_related("rlist", "owner_person", "owner_department", "responsible_person", "task")
        .order_by("rlist__kind", "rlist_id", "seq")
    )


# ------------------------------------------------------------------------------------------------ 责任书, 述责述廉


def visible_letters(user: Any) -> QuerySet[Letter]:
    return Letter.objects.filter(access.visible_q(user, Letter)).select_related("signer", "department", "unit")


def visible_reports(user: Any) -> QuerySet[DutyReport]:
    return DutyReport.objects.filter(access.visible_q(user, DutyReport)).select_related("leader", "unit")
