"""部署分解与督查督办: deployments, their decomposition into tasks, and every task's life until it is closed.

A Task (督办事项) has one TaskPart per responsible department: the 牵头单位's part (role lead) and one per
配合单位 (role partner). Each part is signed for (签收), reported on and late on its own; the task's own
status follows its lead part (DESIGN decisions in services/tasks.py). Every transition writes a TaskEvent (the
task's timeline) and an audit event in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from qingfeng.core.models import BaseModel
from qingfeng.org.access import BusinessScope


class Deployment(BaseModel):
    """A speech, document, 上级交办 or 会议纪要 whose reviewed 任务分解表 becomes Tasks when confirmed."""

    class Kind(models.TextChoices):
        SPEECH = "speech", "会议讲话"
        DOCUMENT = "document", "文件"
        ASSIGNED = "assigned", "上级交办"
        MINUTES = "minutes", "会议纪要"

    class Status(models.TextChoices):
        DRAFT = "draft", "待确认"
        CONFIRMED = "confirmed", "已确认"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    date = models.DateField("部署日期")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.SPEECH)
    issuing_leader = models.ForeignKey(
        "org.Person", verbose_name="部署领导", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("原文", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The whole-unit roles, the issuing leader, and every leader who leads one of its tasks.
    access_scope = BusinessScope(
        unit="unit", person="issuing_leader", leader="tasks__lead_leader", write_perm="supervision.deploy"
    )

    class Meta:
        verbose_name = "工作部署"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return self.title


class TaskCounter(models.Model):
    """The last 督办编号 sequence used per unit and year; locked (select_for_update) while a number is drawn."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="task_counter_unique_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class Task(BaseModel):
    """督办事项 (one row of the 督办单 / 任务分解表)."""

    class Source(models.TextChoices):
        DEPLOYMENT = "deployment", "工作部署"
        SUPERIOR = "superior", "上级交办"
        MEETING = "meeting", "会议"
        PETITION = "petition", "信访"
        SELF_CHECK = "self_check", "自查"
        MODULE = "module", "其他模块"

    class Kind(models.TextChoices):
        LIMITED = "limited", "限期"
        IMMEDIATE = "immediate", "立行立改"
        LONG_TERM = "long_term", "长期坚持"
        RECURRING = "recurring", "周期性"

    class Recurrence(models.TextChoices):
        MONTHLY = "monthly", "每月"
        QUARTERLY = "quarterly", "每季度"
        HALF_YEARLY = "halfyearly", "每半年"  # 责任清单 items (两个责任): ten characters, the field's length
        YEARLY = "yearly", "每年"

    class Status(models.TextChoices):
        PENDING_SIGN = "pending_sign", "待签收"
        IN_PROGRESS = "in_progress", "办理中"
        PENDING_REVIEW = "pending_review", "待审核"
        DONE = "done", "已办结"

    class Rating(models.IntegerChoices):
        # The number is the score averaged by the department ranking.
        EXCELLENT = 4, "优秀"
        GOOD = 3, "良好"
        FAIR = 2, "一般"
        POOR = 1, "较差"

    OPEN_STATUSES = (Status.PENDING_SIGN, Status.IN_PROGRESS, Status.PENDING_REVIEW)

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    title = models.CharField("督办事项", max_length=300)
    content = models.TextField("具体内容", blank=True)
    source = models.CharField("来源", max_length=12, choices=Source.choices, default=Source.DEPLOYMENT)
    source_ref = models.CharField("来源记录", max_length=100, blank=True)
    deployment = models.ForeignKey(
        Deployment, verbose_name="工作部署", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级任务", null=True, blank=True, on_delete=models.PROTECT, related_name="subtasks"
    )
    lead_leader = models.ForeignKey(
        "org.Person", verbose_name="牵头领导", on_delete=models.PROTECT, related_name="led_tasks"
    )
    responsible_person = models.ForeignKey(
        "org.Person",
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_tasks",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.LIMITED)
    recurrence = models.CharField("周期", max_length=10, choices=Recurrence.choices, blank=True)
    # A 周期性 task's last period may end on this day (a yearly list's items stop with its year); empty: no end.
    recurs_until = models.DateField("周期截止", null=True, blank=True)
    is_urgent = models.BooleanField("急难险重", default=False)
    # deadline moves with approved extensions; original_deadline never does and decides "on time".
    deadline = models.DateField("办理时限", null=True, blank=True)
    original_deadline = models.DateField("原定时限", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING_SIGN)
    assigned_at = models.DateTimeField("交办时间")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sign_deadline = models.DateTimeField("签收时限")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    percent = models.PositiveSmallIntegerField("形象进度", default=0, validators=[MaxValueValidator(100)])
    last_reported_at = models.DateTimeField("最近报送", null=True, blank=True)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField("完成日期", null=True, blank=True)
    on_time = models.BooleanField("按期完成", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("办结评价", choices=Rating.choices, null=True, blank=True)
    rating_remark = models.CharField("评价意见", max_length=500, blank=True)
    watchers = models.ManyToManyField("org.Person", verbose_name="关注领导", blank=True, related_name="watched_tasks")

    access_scope = BusinessScope(
        unit="unit",
        department="parts__department",
        person="responsible_person",
        leader="lead_leader",
        write_perm="supervision.assign",
    )

    class Meta:
        verbose_name = "督办事项"
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "seq"], name="task_unique_number"),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "deadline"]),
            models.Index(fields=["lead_leader", "status"]),
            models.Index(fields=["responsible_person", "status"]),
            # The lists' order (督办编号, newest first) across units: a city's page walks it instead of sorting
            # a million rows.
            models.Index(fields=["-year", "-seq"], name="task_number_desc"),
            # 单位总览 (selectors_overview) at city scale: the few open tasks and this year's closed ones are read
            # from these partial indexes alone, never from the million closed rows of earlier years. The open one
            # also carries what the 督办看板 colours a task by (PostgreSQL: an index-only scan of a city's 35,000
            # open tasks instead of 15,000 heap pages; other databases build it without the INCLUDE).
            models.Index(
                fields=["unit", "status", "deadline"],
                include=["id", "percent", "assigned_at", "submitted_at"],
                condition=models.Q(
                    status__in=["pending_sign", "in_progress", "pending_review"], deleted_at__isnull=True
                ),
                name="task_open_cover_idx",
            ),
            models.Index(
                fields=["closed_at", "unit", "on_time"],
                condition=models.Q(status="done", deleted_at__isnull=True),
                name="task_closed_at_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """督办编号, e.g. 督〔2023〕15号."""
        return f"督〔{self.year}〕{self.seq}号"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """逾期: open and past its (current) deadline; the deadline day itself is still in time."""
        today = today or timezone.localdate()
        return self.is_open and self.deadline is not None and today > self.deadline

    def display_status(self, today: dt.date | None = None) -> str:
        """The status shown to people: 逾期 whenever an open task is past its deadline."""
        if self.status in (self.Status.PENDING_SIGN, self.Status.IN_PROGRESS) and self.is_overdue(today):
            return f"{self.get_status_display()}（逾期）"
        return str(self.get_status_display())

    def lead_part(self) -> TaskPart:
        """The 牵头单位's part (from the prefetched parts when there are any)."""
        return next(p for p in self.parts.all() if p.role == TaskPart.Role.LEAD)

    def get_absolute_url(self) -> str:
        return reverse("supervision:task_detail", args=[self.pk])


class TaskPart(BaseModel):
    """One responsible department's part of a task: signed for, reported on and late on its own."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头单位"
        PARTNER = "partner", "配合单位"

    class Status(models.TextChoices):
        PENDING_SIGN = "pending_sign", "待签收"
        IN_PROGRESS = "in_progress", "办理中"
        DONE = "done", "已办结"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="parts")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "org.Department", verbose_name="科室", on_delete=models.PROTECT, related_name="task_parts"
    )
    role = models.CharField("职责", max_length=10, choices=Role.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING_SIGN)
    sign_deadline = models.DateTimeField("签收时限")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField("形象进度", default=0, validators=[MaxValueValidator(100)])
    last_reported_at = models.DateTimeField("最近报送", null=True, blank=True)

    access_scope = BusinessScope(
        unit="unit",
        department="department",
        person="task__responsible_person",
        leader="task__lead_leader",
        write_perm="supervision.sign",
    )

    class Meta:
        verbose_name = "责任单位"
        ordering = ["task_id", "-role", "id"]  # "partner" < "lead": descending puts the lead first
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department"], condition=models.Q(deleted_at__isnull=True), name="task_part_unique"
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(role="lead", deleted_at__isnull=True),
                name="task_part_one_lead",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "sign_deadline"]),
            # 超时未签收 per unit or department (单位总览): only the parts still unsigned.
            models.Index(
                fields=["unit", "department", "sign_deadline"],
                condition=models.Q(status="pending_sign", deleted_at__isnull=True),
                name="taskpart_unsigned_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.get_role_display()}"

    def is_sign_overdue(self, now: dt.datetime) -> bool:
        """超时未签收: still unsigned after its 事不过夜 limit."""
        return self.status == self.Status.PENDING_SIGN and now > self.sign_deadline

    @property
    def signed_late(self) -> bool:
        return self.signed_at is not None and self.signed_at > self.sign_deadline


class ProgressReport(BaseModel):
    """进展: text, percent and attachments (core.attachments, owner = this report) as evidence."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    part = models.ForeignKey(TaskPart, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("形象进度", validators=[MaxValueValidator(100)])
    instruction_answer = models.TextField("批示答复", blank=True)

    access_scope = BusinessScope(
        unit="unit", department="part__department", person="task__responsible_person", leader="task__lead_leader"
    )

    class Meta:
        verbose_name = "进展报送"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task.number} {self.percent}%"


class ExtensionRequest(BaseModel):
    """延期申请: asked by the responsible unit, decided by the clerk or the lead leader."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已同意"
        REFUSED = "refused", "不同意"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="extension_requests")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("延期理由")
    current_deadline = models.DateField("申请时的时限", null=True, blank=True)
    requested_deadline = models.DateField("申请延至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    snapshot = models.JSONField("审批快照", default=dict, blank=True)

    access_scope = BusinessScope(
        unit="unit", department="task__parts__department", person="task__responsible_person", leader="task__lead_leader"
    )

    class Meta:
        verbose_name = "延期申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(status="pending", deleted_at__isnull=True),
                name="extension_one_pending_per_task",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.number} 延期至 {self.requested_deadline}"


class Instruction(BaseModel):
    """领导批示: shown at the top of the task; the lead unit's next progress report must answer it."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="instructions")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批示人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("批示内容")
    answered_by_report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.PROTECT, related_name="answered_instructions"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    access_scope = BusinessScope(
        unit="unit", department="task__parts__department", person="task__responsible_person", leader="task__lead_leader"
    )

    class Meta:
        verbose_name = "领导批示"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:50]


class TaskEvent(models.Model):
    """One entry of a task's timeline: who did what, when, and a snapshot of what it applied to. Written
    together with the audit event by services/_events.py; never changed."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "交办"
        SIGNED = "signed", "签收"
        REPORTED = "reported", "报送进展"
        SUBMITTED = "submitted", "提交审核"
        APPROVED = "approved", "审核通过（办结）"
        RETURNED = "returned", "退回"
        EXTENSION_REQUESTED = "extension_requested", "申请延期"
        EXTENSION_APPROVED = "extension_approved", "同意延期"
        EXTENSION_REFUSED = "extension_refused", "不同意延期"
        WATCHED = "watched", "关注"
        UNWATCHED = "unwatched", "取消关注"
        INSTRUCTED = "instructed", "批示"
        REMINDED = "reminded", "催办"
        ESCALATED = "escalated", "逐级督办"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    part = models.ForeignKey(TaskPart, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("事项", max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("说明", blank=True)
    snapshot = models.JSONField("快照", default=dict, blank=True)

    access_scope = BusinessScope(
        unit="unit", department="task__parts__department", person="task__responsible_person", leader="task__lead_leader"
    )

    class Meta:
        verbose_name = "办理记录"
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["task", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.get_kind_display()}"


class Reminder(models.Model):
    """One reminder the scan sent (催办, 超时未签收, 逐级督办). Its key (part, kind, level, on_date) is unique, so a
    scan run twice, or re-run after a crash, sends nothing twice (SECURITY.md R3): the row and its notices are
    written in one transaction."""

    class Kind(models.TextChoices):
        UNSIGNED = "unsigned", "超时未签收"
        DUE_SOON = "due_soon", "到期提醒"
        OVERDUE = "overdue", "逾期催办"
        ESCALATE = "escalate", "逐级督办"
        REPORT = "report", "季度进展提醒"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reminders")
    part = models.ForeignKey(TaskPart, on_delete=models.PROTECT, related_name="reminders")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    # due_soon: working days ahead; escalate: the step (1 department head, 2 lead leader, 3 secretary); else 0
    level = models.PositiveSmallIntegerField("级别", default=0)
    on_date = models.DateField("日期")
    recipients = models.JSONField("接收人", default=list)
    created_at = models.DateTimeField("发送时间", default=timezone.now)

    access_scope = BusinessScope(
        unit="unit", department="part__department", person="task__responsible_person", leader="task__lead_leader"
    )

    class Meta:
        verbose_name = "催办记录"
        constraints = [models.UniqueConstraint(fields=["part", "kind", "level", "on_date"], name="reminder_unique_key")]
        indexes = [models.Index(fields=["unit", "on_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.task_id}/{self.part_id} {self.on_date}"


class StyleProblem(BaseModel):
    """作风问题 (慵懒散慢、推诿扯皮 and other 作风顽疾) reported by anyone of the unit about a department or a matter.
    A reporter who asks for it stays anonymous to everyone but the 纪检组长; the 纪检组长 verifies, then links the
    problem to a task (交办 for rectification) or closes it with a reason."""

    class Category(models.TextChoices):
        LAZY = "lazy", "慵懒散慢"
        SHIRKING = "shirking", "推诿扯皮"
        HARD = "hard", "门难进、脸难看、事难办"
        FORMALISM = "formalism", "形式主义、官僚主义"
        OTHER = "other", "其他作风问题"

    class Status(models.TextChoices):
        REPORTED = "reported", "待核实"
        VERIFYING = "verifying", "核实中"
        LINKED = "linked", "已交办整改"
        CLOSED = "closed", "已了结"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="反映人", on_delete=models.PROTECT, related_name="+"
    )
    anonymous = models.BooleanField("不公开姓名", default=False)
    department = models.ForeignKey(
        "org.Department", verbose_name="涉及科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matter = models.CharField("涉及事项", max_length=200, blank=True)
    category = models.CharField("问题类别", max_length=12, choices=Category.choices)
    description = models.TextField("具体情况")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.REPORTED)
    verification = models.TextField("核实情况", blank=True)
    decision = models.TextField("处理意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    task = models.ForeignKey(
        Task, verbose_name="交办事项", null=True, blank=True, on_delete=models.PROTECT, related_name="style_problems"
    )

    # Confidential: the secretary, the 纪检组长 and a 纪委 superior; the reporter sees their own (selectors).
    access_scope = BusinessScope(unit="unit", confidential=True, write_perm="supervision.style_handle")

    class Meta:
        verbose_name = "作风问题"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.matter or (self.department.name if self.department else '')}"


class TaskForce(BaseModel):
    """专班: a standing team for one hard job (攻坚), with its leader, members, goal, milestones and its own board
    of 督办事项."""

    class Status(models.TextChoices):
        ACTIVE = "active", "推进中"
        CLOSED = "closed", "已完成"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("专班名称", max_length=100)
    leader = models.ForeignKey("org.Person", verbose_name="专班负责人", on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField("org.Person", verbose_name="成员", blank=True, related_name="taskforces")
    goal = models.TextField("攻坚目标")
    start = models.DateField("开始日期")
    end = models.DateField("计划完成日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    tasks = models.ManyToManyField(Task, verbose_name="督办事项", blank=True, related_name="taskforces")

    access_scope = BusinessScope(unit="unit", person="members", leader="leader", write_perm="supervision.taskforce")

    class Meta:
        verbose_name = "专班"
        ordering = ["status", "-start", "-id"]

    def __str__(self) -> str:
        return self.name


class Milestone(BaseModel):
    taskforce = models.ForeignKey(TaskForce, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due = models.DateField("计划时间")
    done_on = models.DateField("完成时间", null=True, blank=True)
    note = models.CharField("完成情况", max_length=300, blank=True)

    class Meta:
        verbose_name = "专班节点"
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title
