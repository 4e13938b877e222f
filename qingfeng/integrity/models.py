"""廉政建设: the 廉政风险点 register and its 督促检查, the confidential 四种形态 ledger, and each cadre's 廉政档案 filings.

The ledger's problem description and decision text are SM4-GCM ciphertext (integrity/ledger_crypto.py); every other
field is clear so that lists can filter in SQL."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from qingfeng.core.models import BaseModel
from qingfeng.org.access import BusinessScope

# 岗位/业务环节 offered by default; a bureau sets its own list with QINGFENG_INTEGRITY_RISK_AREAS.
DEFAULT_RISK_AREAS = [
    "财务报销",
    "政府采购",
    "项目审批",
    "干部选拔任用",
    "行政执法",
    "资金拨付",
    "资产管理",
    "工程建设",
]
# 问题类别 of a ledger record (a datalist suggestion; free text is accepted).
DEFAULT_PROBLEM_CATEGORIES = [
    "违反政治纪律",
    "违反组织纪律",
    "违反廉洁纪律",
    "违反群众纪律",
    "违反工作纪律",
    "违反生活纪律",
    "违反中央八项规定精神",
]


class DisciplineRecord(BaseModel):
    """One use of the 四种形态 (纪律处分条例 2023 第五条) on one person: confidential."""

    class Form(models.IntegerChoices):
        FIRST = 1, "第一种形态"
        SECOND = 2, "第二种形态"
        THIRD = 3, "第三种形态"
        FOURTH = 4, "第四种形态"

    class ClueSource(models.TextChoices):
        PETITION = "petition", "信访举报"
        INSPECTION = "inspection", "巡视巡察"
        AUDIT = "audit", "审计"
        ROUTINE = "routine", "日常监督"
        SELF = "self", "自查自纠"
        ASSIGNED = "assigned", "上级交办"

    # The measures of each form, as the regulation words them; a measure must belong to its form.
    MEASURES: dict[int, list[str]] = {
        1: ["谈话提醒", "批评教育", "责令检查", "诫勉"],
        2: ["党纪轻处分（警告）", "党纪轻处分（严重警告）", "组织调整"],
        3: ["党纪重处分（撤销党内职务）", "党纪重处分（留党察看）", "党纪重处分（开除党籍）", "重大职务调整"],
        4: ["严重违纪涉嫌违法立案审查"],
    }

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)  # bound into the ciphertext (AAD)
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("org.Person", verbose_name="对象", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("日期")
    form = models.PositiveSmallIntegerField("形态", choices=Form.choices)
    measure = models.CharField("处理方式", max_length=30)
    category = models.CharField("问题类别", max_length=50)
    clue_source = models.CharField("线索来源", max_length=12, choices=ClueSource.choices)
    decided_by = models.CharField("决定机关", max_length=100)
    description_enc = models.BinaryField("问题描述（密文）")
    decision_enc = models.BinaryField("处理决定（密文）")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    access_scope = BusinessScope(unit="unit", confidential=True, write_perm="integrity.ledger_manage")

    class Meta:
        verbose_name = "四种形态记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"]), models.Index(fields=["unit", "form"])]

    def __str__(self) -> str:
        return f"{self.get_form_display()}·{self.measure}（{self.date:%Y-%m-%d}）"

    def associated_data(self) -> bytes:
        """What the ciphertext is bound to: moving it to another record or unit makes it undecryptable."""
        return f"integrity.disciplinerecord:{self.unit_id}:{self.uid}".encode()


class LedgerKeyCheck(models.Model):
    """The fingerprint (HMAC-SM3 over a fixed text) of the ledger key the ciphertexts were written with: one row.
    A start-up check and every use compare the configured key against it, so a wrong key is a clear error."""

    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "台账密钥校验值"

    def __str__(self) -> str:
        return f"台账密钥校验值 {self.fingerprint[:8]}…"


class RiskPoint(BaseModel):
    """One line of the 廉政风险防控台账."""

    class Level(models.TextChoices):
        HIGH = "high", "高"
        MEDIUM = "medium", "中"
        LOW = "low", "低"

    class Cycle(models.TextChoices):
        QUARTERLY = "quarterly", "每季度"
        HALF_YEARLY = "half_yearly", "每半年"
        YEARLY = "yearly", "每年"

    # Months per cycle (复核周期 of a point, 检查周期 of a scheduled check).
    CYCLE_MONTHS = {Cycle.QUARTERLY: 3, Cycle.HALF_YEARLY: 6, Cycle.YEARLY: 12}

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    area = models.CharField("岗位/业务环节", max_length=30)
    department = models.ForeignKey("org.Department", verbose_name="科室", on_delete=models.PROTECT, related_name="+")
    post = models.CharField("岗位", max_length=50)
    name = models.CharField("风险点", max_length=100)
    description = models.TextField("风险描述")
    level = models.CharField("风险等级", max_length=6, choices=Level.choices)
    controls = models.TextField("防控措施")
    owner = models.ForeignKey("org.Person", verbose_name="责任人", on_delete=models.PROTECT, related_name="+")
    review_cycle = models.CharField("复核周期", max_length=12, choices=Cycle.choices, default=Cycle.YEARLY)
    last_checked_on = models.DateField("最近检查", null=True, blank=True)
    # 复核: the register is reviewed on its cycle (is the description, the level, the control still right?); the
    # next date follows the cycle from the last review, or from the registration until the first one.
    last_reviewed_on = models.DateField("最近复核", null=True, blank=True)
    next_review_on = models.DateField("下次复核", null=True, blank=True)

    access_scope = BusinessScope(
        unit="unit", department="department", person="owner", write_perm="integrity.risk_manage"
    )

    class Meta:
        verbose_name = "廉政风险点"
        ordering = ["department__order", "department_id", "id"]
        indexes = [
            models.Index(fields=["unit", "level"]),
            models.Index(fields=["unit", "department"]),
            models.Index(fields=["unit", "next_review_on"], name="integrity_risk_review_due"),
        ]

    def __str__(self) -> str:
        return self.name


class RiskReview(BaseModel):
    """One 复核 of a risk point: who reviewed it when, what they noted, and the next date that followed."""

    point = models.ForeignKey(RiskPoint, verbose_name="风险点", on_delete=models.PROTECT, related_name="reviews")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("复核日期")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="复核人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("复核意见")
    next_review_on = models.DateField("下次复核")

    access_scope = BusinessScope(unit="unit", department="point__department", write_perm="integrity.risk_manage")

    class Meta:
        verbose_name = "风险点复核"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.point}复核（{self.date:%Y-%m-%d}）"


class RiskCheck(BaseModel):
    """关键部位和环节的督促检查 over a set of risk points; each problem found goes on as a 督办事项 or an 整改问题.

    A check is 待检查 until a risk manager completes it (完成检查: who, when, the 检查情况, and the result: problems
    found, or 未发现问题); a completed check takes no more problems. A check the worker opened on its cycle has a
    deadline (services/schedule.py) and is also a 督办事项 to the unit's office, closed by the completion; past the
    deadline and not completed it is 逾期未完成."""

    class State(models.TextChoices):
        PENDING = "pending", "待检查"
        DONE = "done", "已完成"
        OVERDUE = "overdue", "逾期未完成"

    class Result(models.TextChoices):
        FOUND = "found", "发现问题"
        CLEAN = "clean", "未发现问题"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("检查名称", max_length=100)
    date = models.DateField("检查日期")
    points = models.ManyToManyField(RiskPoint, verbose_name="检查的风险点", related_name="checks")
    summary = models.TextField("检查情况", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(
        "rectification.Round",
        verbose_name="整改轮次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 定期检查: a check with a cycle opens its successor when the cycle has passed (the worker, services/schedule.py);
    # `previous` is unique, so a check has at most one successor however often the scan runs.
    cycle = models.CharField("检查周期", max_length=12, choices=RiskPoint.Cycle.choices, blank=True, default="")
    previous = models.OneToOneField(
        "self",
        verbose_name="上一周期检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_check",
    )
    scheduled = models.BooleanField("按周期开启", default=False)
    # 完成时限 (a scheduled check: services/schedule.py check_deadline; a check run by hand has none, never overdue)
    deadline = models.DateField("完成时限", null=True, blank=True)
    task = models.ForeignKey(
        "supervision.Task", verbose_name="督办事项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="完成人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField("检查结果", max_length=8, choices=Result.choices, blank=True)

    # Leaders see the checks touching the departments they supervise, heads those touching their own.
    access_scope = BusinessScope(unit="unit", department="points__department", write_perm="integrity.risk_manage")

    class Meta:
        verbose_name = "风险点督促检查"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.name

    def state(self, today: dt.date | None = None) -> str:
        """待检查, 已完成, or 逾期未完成 (open past its deadline; the deadline day itself is still in time)."""
        if self.completed_at is not None:
            return self.State.DONE
        if self.deadline is not None and self.deadline < (today or timezone.localdate()):
            return self.State.OVERDUE
        return self.State.PENDING

    @property
    def state_label(self) -> str:
        return str(self.State(self.state()).label)


class RiskProblem(BaseModel):
    """A problem a check found at one risk point, and what it became."""

    class Route(models.TextChoices):
        TASK = "task", "督办事项"
        FINDING = "finding", "整改问题"

    check_run = models.ForeignKey(RiskCheck, verbose_name="检查", on_delete=models.PROTECT, related_name="problems")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(RiskPoint, verbose_name="风险点", on_delete=models.PROTECT, related_name="problems")
    description = models.TextField("发现的问题")
    route = models.CharField("转办方式", max_length=8, choices=Route.choices)
    task = models.ForeignKey(
        "supervision.Task", verbose_name="督办事项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finding = models.ForeignKey(
        "rectification.Finding",
        verbose_name="整改问题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    access_scope = BusinessScope(unit="unit", write_perm="integrity.risk_manage")

    class Meta:
        verbose_name = "检查发现问题"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:30]


class Filing(BaseModel):
    """One entry of a cadre's 廉政档案: 个人有关事项报告, 礼品礼金上交登记, 婚丧喜庆事宜报备 or 廉洁承诺书."""

    class Kind(models.TextChoices):
        PERSONAL_MATTERS = "matters", "个人有关事项报告"
        GIFT = "gift", "礼品礼金上交登记"
        FAMILY_EVENT = "event", "婚丧喜庆事宜报备"
        PLEDGE = "pledge", "廉洁承诺书"

    class EventKind(models.TextChoices):
        WEDDING = "wedding", "婚嫁"
        FUNERAL = "funeral", "丧葬"
        OTHER = "other", "其他喜庆事宜"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("org.Person", verbose_name="本人", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度")
    filed_on = models.DateField("报告日期")
    event_date = models.DateField("事项日期", null=True, blank=True)  # the gift received / the event held
    summary = models.TextField("内容", blank=True)
    # 个人有关事项报告
    has_changes = models.BooleanField("较上年有变化", default=False)
    # 礼品礼金
    giver = models.CharField("赠送人（单位）", max_length=100, blank=True)
    value = models.DecimalField("价值（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    # 婚丧喜庆
    event_kind = models.CharField("事宜类别", max_length=8, choices=EventKind.choices, blank=True)
    guests = models.PositiveIntegerField("规模（人）", null=True, blank=True)
    tables = models.PositiveIntegerField("桌数", null=True, blank=True)
    gifts_policy = models.CharField("礼金收受", max_length=100, blank=True)
    over_limit = models.BooleanField("超过规定规模", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    access_scope = BusinessScope(
        unit="unit",
        department="person__department",
        person="person",
        personal=True,
        write_perm="integrity.file_submit",
    )

    class Meta:
        verbose_name = "廉政档案事项"
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["person", "kind"]), models.Index(fields=["unit", "kind", "year"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.year}年）"
