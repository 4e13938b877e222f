"""The supervision panel of 我的工作台: the user's parts to sign for first (事不过夜), then their overdue tasks,
then those due soon, then the decisions waiting for them (办结审核, 延期审批); tasks due today also go to
"今日到期". Each item carries its 三色预警 colour."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from qingfeng.core.calendar import WorkCalendar
from qingfeng.core.workbench import WorkItem, WorkItems
from qingfeng.org import access
from qingfeng.org.roles import Role
from qingfeng.supervision import warnings
from qingfeng.supervision.models import ExtensionRequest, Task, TaskPart
from qingfeng.supervision.selectors import task_items

LIMIT = 50  # items per kind; the task list has the rest


def provider(user: Any, items: WorkItems) -> None:
    if not access.can(user, "supervision.view"):
        return
    person = getattr(user, "person", None)
    if person is None:
        return
    now = timezone.now()
    today = timezone.localdate(now)
    calendar = WorkCalendar()
    is_head = access.holds(user, Role.HEAD)
    is_clerk = access.holds(user, Role.CLERK)

    # 1. 待签收: parts of my department I sign for (as its head, or as the task's responsible person).
    mine = Q(department_id=person.department_id) & (Q() if is_head else Q(task__responsible_person=person))
    parts = (
        TaskPart.objects.filter(access.visible_q(user, TaskPart), mine, status=TaskPart.Status.PENDING_SIGN)
        .exclude(task__status=Task.Status.DONE)
        .select_related("task", "department")
        .order_by("sign_deadline", "id")[:LIMIT]
        if person.department_id
        else []
    )
    to_sign = set()
    for part in parts:
        to_sign.add(part.task_id)
        late = part.is_sign_overdue(now)
        items.todo.append(
            WorkItem(
                title=f"待签收：{part.task.number} {part.task.title}",
                url=part.task.get_absolute_url(),
                due=timezone.localtime(part.sign_deadline).date(),
                colour=warnings.RED if late else warnings.YELLOW,
                note="超时未签收" if late else f"{part.get_role_display()}待签收",
            )
        )

    # 2. My open tasks: responsible person, lead leader, or (as head) a part of my department.
    concerned = Q(responsible_person=person) | Q(lead_leader=person)
    if is_head and person.department_id:
        concerned |= Q(pk__in=TaskPart.objects.filter(department_id=person.department_id).values("task_id"))
    open_tasks = list(task_items(user).filter(concerned).exclude(status=Task.Status.DONE).order_by("deadline")[:LIMIT])
    for task in open_tasks:
        task.colour = warnings.colour(task, today, calendar, now)
    for wanted in (warnings.RED, warnings.YELLOW):
        for task in open_tasks:
            if task.colour == wanted and task.status != Task.Status.PENDING_REVIEW and task.pk not in to_sign:
                items.todo.append(
                    WorkItem(
                        title=f"{task.number} {task.title}",
                        url=task.get_absolute_url(),
                        due=task.deadline,
                        colour=task.colour,
                        note=task.display_status(today) if wanted == warnings.RED else "临期",
                    )
                )

    # 3. Decisions waiting for me: 办结审核 and 延期审批 of the tasks I lead (a clerk: of the whole unit).
    # (An empty Q() would vanish from an OR: a clerk gets an always-true condition instead.)
    deciding = Q(pk__isnull=False) if is_clerk else Q(lead_leader=person)
    reviews = task_items(user).filter(deciding, status=Task.Status.PENDING_REVIEW).order_by("submitted_at")
    for task in reviews[:LIMIT]:
        items.todo.append(
            WorkItem(
                title=f"待审核：{task.number} {task.title}",
                url=task.get_absolute_url(),
                due=task.deadline,
                colour=warnings.colour(task, today, calendar, now),
                note="待审核",
            )
        )
    extensions = (
        ExtensionRequest.objects.filter(
            status=ExtensionRequest.Status.PENDING,
            task__in=Task.objects.filter(access.visible_q(user, Task)).filter(deciding).values("pk"),
        )
        .select_related("task")
        .order_by("created_at")[:LIMIT]
    )
    for request in extensions:
        items.todo.append(
            WorkItem(
                title=f"延期申请：{request.task.number} {request.task.title}",
                url=request.task.get_absolute_url(),
                due=request.requested_deadline,
                note="延期审批",
            )
        )

    # 今日到期
    for task in open_tasks:
        if task.deadline == today:
            items.due_today.append(
                WorkItem(
                    title=f"{task.number} {task.title}", url=task.get_absolute_url(), due=today, colour=task.colour
                )
            )
