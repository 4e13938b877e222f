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

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Q, QuerySet
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


MAX_HOPS = 400  # a chain's length walked at most (a monthly item's year has 12)


def current_tasks(tasks: list[Task]) -> dict[int, Task]:
    """First task pk → its current occurrence, the last of its chain: a recurring task's next period is assigned
    with source_ref = the previous one's 督办编号 (same unit, 周期性, 其他模块); when two name the same one, the one
    assigned later (the greater pk) follows it. One query over the units' recurring module tasks, walked in memory;
    overdue_by_unit counts by the same definition in SQL."""
    recurring = [t for t in tasks if t.kind == Task.Kind.RECURRING]
    if not recurring:
        return {t.pk: t for t in tasks}
    units = {t.unit_id for t in recurring}
    earliest = min(t.year for t in recurring)
    rows = (
        Task.objects.filter(unit_id__in=units, kind=Task.Kind.RECURRING, source=Task.Source.MODULE, year__gte=earliest)
        .order_by("pk")
        .values_list("pk", "unit_id", "year", "seq", "source_ref")
    )
    successor: dict[tuple[int, str], int] = {}
    for pk, unit_id, _year, _seq, ref in rows:
        successor[(unit_id, ref)] = pk
    number = {pk: f"督〔{year}〕{seq}号" for pk, _u, year, seq, _r in rows}
    latest: dict[int, int] = {}
    for t in recurring:
        pk, seen = t.pk, 0
        while (t.unit_id, number.get(pk, "")) in successor and seen < MAX_HOPS:
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


ITEM_RELATED = ("owner_person", "owner_department", "responsible_person", "task", "task__lead_leader")


def overdue_by_unit(items: QuerySet[ResponsibilityItem], *, today: dt.date | None = None) -> dict[int, int]:
    """Unit id → how many of `items` are 逾期, in one query and without loading a task: annotate_progress's rule
    (the item's current task, the last of its chain as current_tasks defines it, is open and past its deadline)
    in SQL. A recursive CTE walks each item's chain from its first task (the successor of a task: the greatest pk
    among the unit's 周期性 其他模块 tasks whose source_ref is its 督办编号), and the chains' last tasks are counted
    with a GROUP BY per unit. Units without an overdue item are absent."""
    today = today or timezone.localdate()
    anchor = items.filter(task__isnull=False).order_by().values("unit_id", "task_id")
    try:
        anchor_sql, anchor_params = anchor.query.get_compiler(using=anchor.db).as_sql()
    except EmptyResultSet:  # a scope that covers nothing
        return {}
    connection = connections[anchor.db]
    q = connection.ops.quote_name
    task = q(Task._meta.db_table)

    def number(alias: str) -> str:  # Task.number, 督〔2024〕15号
        return f"('督〔' || CAST({alias}.year AS TEXT) || '〕' || CAST({alias}.seq AS TEXT) || '号')"

    recurring, module = Task.Kind.RECURRING.value, Task.Source.MODULE.value
    sql = f"""
        WITH RECURSIVE anchor(unit_id, task_id) AS ({anchor_sql}),
        succ(unit_id, ref, id) AS (
            SELECT s.unit_id, s.source_ref, MAX(s.id) FROM {task} s
            WHERE s.kind = %s AND s.source = %s AND s.deleted_at IS NULL
              AND s.unit_id IN (SELECT unit_id FROM anchor)
              AND s.year >= (SELECT MIN(f.year) FROM anchor a JOIN {task} f ON f.id = a.task_id)
            GROUP BY s.unit_id, s.source_ref
        ),
        chain(item_unit, task_id, unit_id, num, walk, hops) AS (
            SELECT a.unit_id, t.id, t.unit_id, {number("t")},
                   CASE WHEN t.kind = %s AND t.source = %s AND t.deleted_at IS NULL THEN 1 ELSE 0 END, 0
            FROM anchor a JOIN {task} t ON t.id = a.task_id
            UNION ALL
            SELECT c.item_unit, n.id, n.unit_id, {number("n")}, 1, c.hops + 1
            FROM chain c JOIN succ ON succ.unit_id = c.unit_id AND succ.ref = c.num JOIN {task} n ON n.id = succ.id
            WHERE c.walk = 1 AND c.hops < {MAX_HOPS}
        )
        SELECT c.item_unit, COUNT(*) FROM chain c
        JOIN {task} t ON t.id = c.task_id
        LEFT JOIN succ ON c.walk = 1 AND c.hops < {MAX_HOPS} AND succ.unit_id = c.unit_id AND succ.ref = c.num
        WHERE succ.id IS NULL AND t.status <> %s AND t.deadline IS NOT NULL AND t.deadline < %s
        GROUP BY c.item_unit
    """  # noqa: S608 - the names come from the models, the values are parameters
    params = [*anchor_params, recurring, module, recurring, module, Task.Status.DONE.value, today]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {unit_id: n for unit_id, n in cursor.fetchall()}


def list_items(rlist: ResponsibilityList) -> list[ResponsibilityItem]:
    """The list's items with their owners, people and 落实情况 (a fixed number of queries)."""
    items = list(rlist.items.select_related(*ITEM_RELATED).prefetch_related("task__parts"))
    for item in items:
        item.rlist = rlist
    return annotate_progress(items)


def item_progress(item: ResponsibilityItem) -> ResponsibilityItem:
    """One item read again as list_items reads it (after a write), with its 落实情况."""
    fresh = ResponsibilityItem.objects.select_related(*ITEM_RELATED).prefetch_related("task__parts").get(pk=item.pk)
    fresh.rlist = item.rlist
    return annotate_progress([fresh])[0]


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


def year_letters(user: Any, year: int, *, unsigned: bool = False) -> QuerySet[Letter]:
    """The year's letters the user sees, those not signed first (the 未签订 list; NULL first on every database)."""
    qs = visible_letters(user).filter(year=year)
    if unsigned:
        qs = qs.filter(signed_on__isnull=True)
    return qs.order_by(F("signed_on").asc(nulls_first=True), "signer_kind", "signer__order", "id")


def visible_reports(user: Any) -> QuerySet[DutyReport]:
    return DutyReport.objects.filter(access.visible_q(user, DutyReport)).select_related("leader", "unit")


def year_reports(user: Any, year: int) -> QuerySet[DutyReport]:
    """The year's 述责述廉 the user sees, in the order of the 班子 (the summary table's rows)."""
    return visible_reports(user).filter(year=year).order_by("leader__order", "id")
