"""责任清单: creating lists, their items, copying last year's lists, and publishing (发布) a list.

Decisions:
1. A list is written as a draft (草稿): created empty, or copied from last year's list of the same kind (and leader),
   then edited. Nothing is assigned while it is a draft.
2. 发布 checks every item (an owner, a task the supervision module would accept) and, all or nothing, turns each
   item with a 完成时限 or a 频次 into a supervision Task: a deadline → one 限期 task; 每月/每季度/每半年/每年 → a 周期性
   task for the first period of the list's year still ahead (supervision assigns the next period's when one is
   closed or its period ends); 长期 → one 长期坚持 task without a deadline. Items with neither get no task.
3. A published list's items are not edited any more (the task is the record now); an item added to a published
   list is assigned at once.
4. The task of an item: 责任主体 a department → that department leads, under the list's leader (一岗双责) or else the
   leader supervising the department (分管); 责任主体 a leader → that leader leads, with the 责任人's department (else
   the leader's own) as the 牵头单位.
5. The office (secretary, clerk: responsibility.manage) writes every list; the 纪检组长 (responsibility.inspect)
   writes the 纪检监督责任清单 only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit
from qingfeng.responsibility.models import ResponsibilityItem, ResponsibilityList
from qingfeng.responsibility.people import supervising_leader
from qingfeng.supervision.models import Task
from qingfeng.supervision.services.tasks import TaskDraft, draft_problems, refresh_drafts, task_create

Kind = ResponsibilityList.Kind
Frequency = ResponsibilityItem.Frequency
RECURRENCE = {
    Frequency.MONTHLY: Task.Recurrence.MONTHLY,
    Frequency.QUARTERLY: Task.Recurrence.QUARTERLY,
    Frequency.HALF_YEARLY: Task.Recurrence.HALF_YEARLY,
    Frequency.YEARLY: Task.Recurrence.YEARLY,
}
PERIOD_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}


def can_write(user: Any, rlist: ResponsibilityList) -> bool:
    if access.can(user, "responsibility.manage", rlist.unit):
        return True
    return rlist.kind == Kind.SUPERVISION and access.can(user, "responsibility.inspect", rlist.unit)


def require_write(user: Any, rlist: ResponsibilityList) -> None:
    if not can_write(user, rlist):
        raise PermissionDenied("responsibility.manage")


def require_write_kind(user: Any, unit: Unit, kind: str) -> None:
    if access.can(user, "responsibility.manage", unit):
        return
    if kind == Kind.SUPERVISION and access.can(user, "responsibility.inspect", unit):
        return
    raise PermissionDenied("responsibility.manage")


@transaction.atomic
def list_create(*, actor: Any, unit: Unit, year: int, kind: str, leader: Person | None = None) -> ResponsibilityList:
    require_write_kind(actor, unit, kind)
    if kind not in Kind.values:
        raise UserError("请选择清单类别", field="kind")
    if not 2000 <= year <= 2100:
        raise UserError("年度无效", field="year")
    if kind == Kind.LEADER:
        if leader is None:
            raise UserError("班子成员一岗双责清单须选择班子成员", field="leader")
        if leader.unit_id != unit.pk or not leader.is_leadership or leader.status != Person.Status.ACTIVE:
            raise UserError(f"“{leader.name}”不是本单位在岗的班子成员", field="leader")
    else:
        leader = None
    if ResponsibilityList.objects.filter(unit=unit, year=year, kind=kind, leader=leader).exists():
        who = f"（{leader.name}）" if leader else ""
        raise UserError(f"{year}年度{Kind(kind).label}{who}已存在")
    rlist = ResponsibilityList(unit=unit, year=year, kind=kind, leader=leader)
    rlist.save()
    audit.record(actor=actor, action="resp_list.create", obj=rlist, changes={"year": year, "kind": kind})
    return rlist


@dataclass
class ItemData:
    content: str
    measures: str = ""
    owner_person: Person | None = None
    owner_department: Department | None = None
    responsible_person: Person | None = None
    deadline: dt.date | None = None
    frequency: str = ""


def item_problems(unit: Unit, data: ItemData, rlist: ResponsibilityList | None = None) -> list[str]:
    """Every problem of one item, in Chinese (empty when it can be saved). On a 一岗双责 list the owner is the
    list's leader or one of the departments they supervise (分管)."""
    problems: list[str] = []
    if rlist is not None and rlist.kind == Kind.LEADER and rlist.leader is not None:
        leader = rlist.leader
        if data.owner_person is not None and data.owner_person.pk != leader.pk:
            problems.append(f"一岗双责清单的责任主体只能是{leader.name}本人或其分管科室")
        dept = data.owner_department
        if dept is not None and not leader.supervised_departments.filter(pk=dept.pk).exists():
            problems.append(f"“{dept.name}”不是{leader.name}的分管科室")
    if not data.content.strip():
        problems.append("责任内容不能为空")
    if data.owner_person is None and data.owner_department is None:
        problems.append("没有责任主体：请填写责任领导或责任科室")
    if data.owner_person is not None and data.owner_department is not None:
        problems.append("责任主体只能是一位领导或一个科室")
    owner = data.owner_person
    if owner is not None and (owner.unit_id != unit.pk or not owner.is_leadership):
        problems.append(f"责任主体“{owner.name}”不是本单位班子成员")
    dept = data.owner_department
    if dept is not None and (dept.unit_id != unit.pk or dept.is_deleted):
        problems.append(f"责任主体“{dept.name}”不是本单位科室")
    person = data.responsible_person
    if person is not None and person.unit_id != unit.pk:
        problems.append(f"责任人“{person.name}”不是本单位人员")
    if data.frequency and data.frequency not in Frequency.values:
        problems.append("频次只能是每月、每季度、每半年、每年或长期")
    if data.frequency and data.deadline:
        problems.append("完成时限和频次只能填写一项")
    return problems


def _next_seq(rlist: ResponsibilityList) -> int:
    last = rlist.items.order_by("-seq").values_list("seq", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def item_add(*, actor: Any, rlist: ResponsibilityList, data: ItemData) -> ResponsibilityItem:
    """Add an item (at the end). On a published list it is assigned at once."""
    require_write(actor, rlist)
    problems = item_problems(rlist.unit, data, rlist)
    if problems:
        raise UserError("；".join(problems), errors=problems)
    item = _create_item(rlist, data, _next_seq(rlist))
    audit.record(
        actor=actor, action="resp_item.create", obj=item, changes={"list": rlist.title, "content": item.content}
    )
    if rlist.status == ResponsibilityList.Status.PUBLISHED:
        _assign_all(actor, rlist, [item])
    return item


def _create_item(rlist: ResponsibilityList, data: ItemData, seq: int) -> ResponsibilityItem:
    return ResponsibilityItem.objects.create(
        rlist=rlist,
        unit=rlist.unit,
        seq=seq,
        content=data.content.strip(),
        measures=data.measures.strip(),
        owner_person=data.owner_person,
        owner_department=data.owner_department,
        responsible_person=data.responsible_person,
        deadline=data.deadline,
        frequency=data.frequency,
    )


@transaction.atomic
def item_update(*, actor: Any, item: ResponsibilityItem, data: ItemData) -> ResponsibilityItem:
    rlist = item.rlist
    require_write(actor, rlist)
    if rlist.status != ResponsibilityList.Status.DRAFT:
        raise UserError("清单已发布，事项不能再修改（可在督办事项中办理延期或调整）")
    problems = item_problems(rlist.unit, data, rlist)
    if problems:
        raise UserError("；".join(problems), errors=problems)
    fields = ["content", "measures", "owner_person", "owner_department", "responsible_person", "deadline", "frequency"]
    before = {f: str(getattr(item, f) or "") for f in fields}
    item.content, item.measures = data.content.strip(), data.measures.strip()
    item.owner_person, item.owner_department = data.owner_person, data.owner_department
    item.responsible_person, item.deadline, item.frequency = data.responsible_person, data.deadline, data.frequency
    item.save(update_fields=[*fields, "updated_at"])
    after = {f: str(getattr(item, f) or "") for f in fields}
    audit.record(actor=actor, action="resp_item.update", obj=item, changes=audit.diff(before, after))
    return item


@transaction.atomic
def item_remove(*, actor: Any, item: ResponsibilityItem) -> None:
    """Soft delete of a draft list's item."""
    require_write(actor, item.rlist)
    if item.rlist.status != ResponsibilityList.Status.DRAFT:
        raise UserError("清单已发布，事项不能删除")
    item.deleted_at = timezone.now()
    item.save(update_fields=["deleted_at", "updated_at"])
    audit.record(actor=actor, action="resp_item.delete", obj=item, changes={"content": item.content})


def _shift_year(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class CopyResult:
    lists: list[ResponsibilityList]
    skipped: list[str]


@transaction.atomic
def lists_copy_year(*, actor: Any, unit: Unit, year: int) -> CopyResult:
    """复制上年清单: each of last year's lists becomes a draft of `year` with the same items (deadlines a year on,
    no tasks). A list that already exists for `year`, or a 一岗双责 list of a leader no longer in post, is skipped
    and named."""
    access.require(actor, "responsibility.manage", unit)
    source = list(
        ResponsibilityList.objects.filter(unit=unit, year=year - 1)
        .select_related("leader")
        .prefetch_related("items")
        .order_by("kind", "leader_id", "id")
    )
    if not source:
        raise UserError(f"{year - 1}年度没有责任清单可复制")
    existing = set(ResponsibilityList.objects.filter(unit=unit, year=year).values_list("kind", "leader_id"))
    made: list[ResponsibilityList] = []
    skipped: list[str] = []
    for old in source:
        title = old.title.replace(f"{old.year}年度", f"{year}年度")
        if (old.kind, old.leader_id) in existing:
            skipped.append(f"{title}已存在")
            continue
        if old.leader is not None and (old.leader.status != Person.Status.ACTIVE or not old.leader.is_leadership):
            skipped.append(f"{old.leader.name}已不是在岗班子成员，未复制其一岗双责清单")
            continue
        new = ResponsibilityList.objects.create(unit=unit, year=year, kind=old.kind, leader=old.leader, copied_from=old)
        ResponsibilityItem.objects.bulk_create(
            [
                ResponsibilityItem(
                    rlist=new,
                    unit=unit,
                    seq=item.seq,
                    content=item.content,
                    measures=item.measures,
                    owner_person_id=item.owner_person_id,
                    owner_department_id=item.owner_department_id,
                    responsible_person_id=item.responsible_person_id,
                    deadline=_shift_year(item.deadline, year - old.year),
                    frequency=item.frequency,
                )
                for item in old.items.all()
            ]
        )
        made.append(new)
    audit.record(
        actor=actor,
        action="resp_list.copy_year",
        obj=unit,
        changes={"from": year - 1, "to": year, "lists": [x.title for x in made], "skipped": skipped},
    )
    return CopyResult(made, skipped)


# ------------------------------------------------------------------------------------------------ 发布


def first_deadline(frequency: str, year: int, today: dt.date) -> dt.date:
    """The end of the first period of `year` that has not ended by `today` (the year's last period if all have)."""
    months = PERIOD_MONTHS[frequency]
    for end_month in range(months, 13, months):
        end = dt.date(year + end_month // 12, end_month % 12 + 1, 1) - dt.timedelta(days=1)
        if end >= today:
            return end
    return dt.date(year, 12, 31)


def _draft(rlist: ResponsibilityList, item: ResponsibilityItem, today: dt.date) -> tuple[TaskDraft, list[str]]:
    problems: list[str] = []
    department, leader = item.owner_department, item.owner_person
    if department is not None:
        leader = rlist.leader if rlist.kind == Kind.LEADER and rlist.leader else supervising_leader(department)
        if leader is None:
            problems.append(f"科室“{department.name}”没有分管领导，无法确定牵头领导")
    elif leader is not None:
        holder = item.responsible_person or leader
        department = holder.department
        if department is None:
            problems.append(f"无法确定牵头科室：请为“{leader.name}”的事项填写责任人")
    person = item.responsible_person
    if person is not None and department is not None and person.department_id != department.pk:
        person = None  # 责任人 outside the leading department: the department's head signs for it
    if item.frequency == Frequency.LONG_TERM:
        kind, deadline, recurrence = Task.Kind.LONG_TERM, None, ""
    elif item.frequency:
        kind, recurrence = Task.Kind.RECURRING, RECURRENCE[Frequency(item.frequency)]
        deadline = first_deadline(item.frequency, rlist.year, today)
    else:
        kind, deadline, recurrence = Task.Kind.LIMITED, item.deadline, ""
    text = item.content
    draft = TaskDraft(
        title=f"【{rlist.get_kind_display()}】{text[:150]}",
        content=(f"{rlist.title} 第{item.seq}项\n责任内容：{text}\n具体措施：{item.measures}").strip(),
        lead_department=department,
        lead_leader=leader,
        deadline=deadline,
        responsible_person=person,
        kind=kind,
        recurrence=recurrence,
        recurs_until=dt.date(rlist.year, 12, 31) if recurrence else None,  # a list binds for its year
    )
    return draft, problems


def _assign_all(actor: Any, rlist: ResponsibilityList, items: list[ResponsibilityItem]) -> int:
    """Check every item, then assign each one's task; any problem → UserError listing them all, nothing written."""
    today = timezone.localdate()
    pending = [i for i in items if i.task_id is None and (i.deadline or i.frequency)]
    drafts: list[tuple[ResponsibilityItem, TaskDraft]] = []
    problems: list[str] = []
    for item in items:
        if item.owner_person_id is None and item.owner_department_id is None:
            problems.append(f"第{item.seq}项：没有责任主体（领导或科室）")
    for item in pending:
        draft, own = _draft(rlist, item, today)
        drafts.append((item, draft))
        problems += [f"第{item.seq}项：{p}" for p in own]
    refresh_drafts([d for _, d in drafts])
    for item, draft in drafts:
        if draft.lead_department is None or draft.lead_leader is None:
            continue
        problems += [
            f"第{item.seq}项：{p}" for p in draft_problems(rlist.unit, draft, earliest=today, earliest_label="发布日期")
        ]
    if problems:
        raise UserError("；".join(problems), errors=problems)
    for item, draft in drafts:
        task = task_create(
            actor=actor,
            unit=rlist.unit,
            draft=draft,
            source=Task.Source.MODULE,
            source_ref=f"{rlist.title}·第{item.seq}项"[:100],
            assign_perm="responsibility.manage" if rlist.kind != Kind.SUPERVISION else _supervision_perm(actor, rlist),
        )
        item.task = task
        item.save(update_fields=["task", "updated_at"])
    return len(drafts)


def _supervision_perm(actor: Any, rlist: ResponsibilityList) -> str:
    return (
        "responsibility.manage" if access.can(actor, "responsibility.manage", rlist.unit) else "responsibility.inspect"
    )


@transaction.atomic
def list_publish(*, actor: Any, rlist: ResponsibilityList) -> int:
    """发布: the list becomes binding and its items are assigned (decision 2). Returns the number of tasks."""
    require_write(actor, rlist)
    rlist = ResponsibilityList.objects.select_for_update(of=("self",)).select_related("unit", "leader").get(pk=rlist.pk)
    if rlist.status == ResponsibilityList.Status.PUBLISHED:
        raise UserError("清单已发布")
    items = list(rlist.items.select_related("owner_person", "owner_department", "responsible_person"))
    if not items:
        raise UserError("清单还没有事项，不能发布")
    count = _assign_all(actor, rlist, items)
    rlist.status, rlist.published_at, rlist.published_by = (
        ResponsibilityList.Status.PUBLISHED,
        timezone.now(),
        actor,
    )
    rlist.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit.record(
        actor=actor,
        action="resp_list.publish",
        obj=rlist,
        changes={"status": [ResponsibilityList.Status.DRAFT, rlist.status], "items": len(items), "tasks": count},
    )
    return count
