"""巡察整改: an inspection round's feedback (问题清单) broken into measures (任务清单 + 责任清单), each measure carried out
as a 督办事项 of the supervision module (signed for, reported, reminded, escalated, closed = 销号)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from qingfeng.core.models import BaseModel
from qingfeng.org.access import BusinessScope

# The 问题类别 offered by default; a bureau sets its own list with QINGFENG_RECTIFICATION_CATEGORIES.
DEFAULT_CATEGORIES = [
    "政治建设",
    "思想建设",
    "组织建设",
    "作风建设",
    "纪律建设",
    "党风廉政建设",
    "意识形态",
    "财务管理",
]


class Round(BaseModel):
    """One inspection (巡视/巡察/审计/督查/自查) and its rectification period."""

    class Kind(models.TextChoices):
        XUNSHI = "xunshi", "巡视"
        XUNCHA = "xuncha", "巡察"
        AUDIT = "audit", "审计"
        DUCHA = "ducha", "督查"
        SELF = "self", "自查"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100, help_text="如：市委第二轮巡察")
    body = models.CharField("检查主体", max_length=100, help_text="如：市委第十巡察组")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.XUNCHA)
    feedback_date = models.DateField("反馈日期")
    rectify_until = models.DateField("集中整改期截止")
    report_due = models.DateField("整改报告报送期限")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    access_scope = BusinessScope(
        unit="unit",
        department="findings__measures__department",
        leader="findings__measures__lead_leader",
        person="findings__measures__responsible_person",
        write_perm="rectification.manage",
    )

    class Meta:
        verbose_name = "整改轮次"
        ordering = ["-feedback_date", "-id"]

    def __str__(self) -> str:
        return self.name


class Finding(BaseModel):
    """One problem of the 问题清单."""

    class Severity(models.TextChoices):
        GENERAL = "general", "一般"
        SERIOUS = "serious", "较重"
        GRAVE = "grave", "严重"

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="findings")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("序号", max_length=20)
    category = models.CharField("问题类别", max_length=50)
    description = models.TextField("具体问题")
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    order = models.PositiveIntegerField("排序", default=0)

    access_scope = BusinessScope(
        unit="unit",
        department="measures__department",
        leader="measures__lead_leader",
        person="measures__responsible_person",
        write_perm="rectification.manage",
    )

    class Meta:
        verbose_name = "问题"
        ordering = ["round_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "number"], condition=models.Q(deleted_at__isnull=True), name="finding_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description[:30]}"


class Measure(BaseModel):
    """整改措施 with its 责任 (领导, 部门, 人, 时限, 类型); carried out as the supervision Task `task`."""

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", "立行立改"
        LIMITED = "limited", "限期整改"
        LONG_TERM = "long_term", "长期坚持"

    class RecheckResult(models.TextChoices):
        PASSED = "passed", "通过"
        FAILED = "failed", "未通过"

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="measures")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("整改措施")
    lead_leader = models.ForeignKey(
        "org.Person", verbose_name="责任领导", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="责任部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.ForeignKey(
        "org.Person", verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("整改时限", null=True, blank=True)
    kind = models.CharField("整改类型", max_length=10, choices=Kind.choices, default=Kind.LIMITED)
    task = models.OneToOneField(
        "supervision.Task",
        verbose_name="督办事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measure",
    )
    order = models.PositiveIntegerField("排序", default=0)
    # 回头看: a closed measure is checked again on `recheck_on` by the 纪检组长 (services/recheck.py).
    recheck_on = models.DateField("回头看日期", null=True, blank=True)
    recheck_scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回头看设定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recheck_task = models.ForeignKey(
        "supervision.Task",
        verbose_name="回头看督办事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recheck_result = models.CharField(
        "回头看结果", max_length=10, choices=RecheckResult.choices, blank=True, default=""
    )
    recheck_note = models.TextField("回头看情况", blank=True)
    rechecked_at = models.DateTimeField("回头看时间", null=True, blank=True)
    rechecked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回头看人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    access_scope = BusinessScope(
        unit="unit",
        department="department",
        leader="lead_leader",
        person="responsible_person",
        write_perm="rectification.manage",
    )

    class Meta:
        verbose_name = "整改措施"
        ordering = ["finding_id", "order", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def current_deadline(self):  # type: ignore[no-untyped-def]
        """The task's deadline once assigned (an approved extension moves it), else the one entered."""
        return self.task.deadline if self.task_id and self.task is not None else self.deadline


class FindingCheck(BaseModel):
    """One of a finding's three checks, kept apart with its own evidence and date: the department's 自查, the lead
    leader's 验收, the 纪检组长's 抽查. A stage recorded again replaces the earlier record (kept, soft-deleted)."""

    class Stage(models.TextChoices):
        SELF = "self", "科室自查"
        VERIFY = "verify", "分管领导验收"
        SPOT = "spot", "纪检组长抽查"

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="checks")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("核查环节", max_length=10, choices=Stage.choices)
    note = models.TextField("核查情况")
    checked_on = models.DateField("核查日期")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="核查人", on_delete=models.PROTECT, related_name="+"
    )

    access_scope = BusinessScope(
        unit="unit",
        department="finding__measures__department",
        leader="finding__measures__lead_leader",
        person="finding__measures__responsible_person",
        write_perm="rectification.view",
    )

    class Meta:
        verbose_name = "整改核查"
        ordering = ["finding_id", "stage", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "stage"], condition=models.Q(deleted_at__isnull=True), name="finding_check_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.checked_on}"
