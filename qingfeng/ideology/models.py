"""意识形态工作责任制 (section 四 of the deployment speech): the positions (阵地) with 三审三校 of what they publish, and
the 党组's 专题研究 and 形势分析研判 meetings. 舆情 incidents are the `opinion` app; the year's 意识形态工作责任清单 is a
responsibility list of its own kind (responsibility.ResponsibilityList.Kind.IDEOLOGY).

Who does what (org/roles.py, the ideology block; services/publications.py checks the relations):
- 阵地 register and 研判 meetings: the office and the secretary (ideology.manage).
- A draft (稿件) on a position: anyone of the unit who sees the position (its department's people, its 审核人, the
  whole-unit roles: ideology.edit); the position must be 运行中.
- 初审 (编辑审核): a person of the position's department or the position's 审核人 (ideology.edit).
- 复审: the head (科室负责人 role) of the position's department (ideology.review).
- 终审: the 班子成员 who 分管s the position's department, or the secretary (ideology.approve).
- The three levels are approved by three different people, none of them the author; a rejection at any level
  returns the draft to its author (退回修改), and a resubmitted draft starts a new round (all three 审 and 三校
  again, the earlier round stays on record).
- 三校 (文字校对, 政治校对, 事实校对): anyone with ideology.edit who sees the draft, once each per round.
- 发布 (marked published): only after all three 审 and all three 校 of the current round; by the author, the
  position's 责任人 or the office.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from qingfeng.core.models import BaseModel
from qingfeng.org.access import BusinessScope


class Position(BaseModel):
    """One 阵地 of the unit: a portal column, an account, a board or a lecture series."""

    class Kind(models.TextChoices):
        PORTAL = "portal", "门户网站栏目"
        WECHAT = "wechat", "微信公众号"
        VIDEO = "video", "视频号/抖音"
        WEIBO = "weibo", "微博"
        BOARD = "board", "宣传栏/电子屏"
        FORUM = "forum", "讲座论坛/报告会"

    class Status(models.TextChoices):
        ACTIVE = "active", "运行中"
        SUSPENDED = "suspended", "暂停更新"
        CLOSED = "closed", "已关停"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("阵地名称", max_length=100)
    kind = models.CharField("阵地类别", max_length=8, choices=Kind.choices)
    address = models.CharField("网址/账号/位置", max_length=200, blank=True)
    department = models.ForeignKey(
        "org.Department", verbose_name="主管科室", on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.ForeignKey(
        "org.Person", verbose_name="责任人", on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey("org.Person", verbose_name="审核人", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # The whole-unit roles and the superior; the department's people (the head, its staff), the leader who 分管s it
    # and the position's 审核人.
    access_scope = BusinessScope(
        unit="unit",
        department="department",
        person="department__people",
        leader="reviewer",
        write_perm="ideology.manage",
    )

    class Meta:
        verbose_name = "意识形态阵地"
        ordering = ["unit_id", "kind", "id"]
        indexes = [models.Index(fields=["unit", "kind"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.name


class Publication(BaseModel):
    """A piece to be published on a position (稿件), through 三审三校."""

    class Status(models.TextChoices):
        FIRST = "first", "待初审"
        SECOND = "second", "待复审"
        FINAL = "final", "待终审"
        APPROVED = "approved", "已审定"  # 三审 done; 三校 and 发布 to come
        RETURNED = "returned", "退回修改"
        PUBLISHED = "published", "已发布"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey(Position, verbose_name="阵地", on_delete=models.PROTECT, related_name="publications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撰稿人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.FIRST)
    # A resubmission after a return starts a new round: the reviews and 校 of earlier rounds stay on record.
    round = models.PositiveSmallIntegerField("审核轮次", default=1)
    submitted_at = models.DateTimeField("送审时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_link = models.CharField("发布链接/位置", max_length=300, blank=True)

    access_scope = BusinessScope(
        unit="unit",
        department="position__department",
        person="position__department__people",
        leader="position__reviewer",
        write_perm="ideology.edit",
    )

    class Meta:
        verbose_name = "阵地稿件"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["position", "status"]),
        ]

    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    """One 审 of one round: who, at which level, approved or returned it, their opinion and when."""

    class Level(models.IntegerChoices):
        FIRST = 1, "初审"
        SECOND = 2, "复审"
        FINAL = 3, "终审"

    class Decision(models.TextChoices):
        APPROVE = "approve", "通过"
        REJECT = "reject", "退回修改"

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="reviews")
    round = models.PositiveSmallIntegerField("审核轮次")
    level = models.PositiveSmallIntegerField("审核层级", choices=Level.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField("审核结论", max_length=8, choices=Decision.choices)
    opinion = models.TextField("审核意见")
    reviewed_at = models.DateTimeField("审核时间", default=timezone.now)

    class Meta:
        verbose_name = "稿件审核"
        ordering = ["publication_id", "round", "level", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}·{self.get_decision_display()}"


class Proof(models.Model):
    """One of the 三校 of one round: who checked what, when, and their note."""

    class Kind(models.TextChoices):
        TEXT = "text", "文字校对"
        POLITICAL = "political", "政治校对"
        FACT = "fact", "事实校对"

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="proofs")
    round = models.PositiveSmallIntegerField("审核轮次")
    kind = models.CharField("校对类别", max_length=10, choices=Kind.choices)
    proofreader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="校对人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("校对说明")
    proofed_at = models.DateTimeField("校对时间", default=timezone.now)

    class Meta:
        verbose_name = "稿件校对"
        ordering = ["publication_id", "round", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "round", "kind"], name="ideology_proof_once_per_round")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Meeting(BaseModel):
    """A 党组 meeting on ideology work: 专题研究 or 形势分析研判."""

    class Kind(models.TextChoices):
        STUDY = "study", "专题研究"
        ANALYSIS = "analysis", "形势分析研判"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("会议类别", max_length=10, choices=Kind.choices)
    date = models.DateField("会议日期")
    place = models.CharField("地点", max_length=100, blank=True)
    host = models.ForeignKey(
        "org.Person", verbose_name="主持人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField("org.Person", verbose_name="参会人员", related_name="+")
    topics = models.TextField("议题")
    conclusions = models.TextField("研究结论")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tasks = models.ManyToManyField("supervision.Task", verbose_name="落实事项", blank=True, related_name="+")

    # The whole-unit roles, the superior and the people who took part.
    access_scope = BusinessScope(unit="unit", person="participants", write_perm="ideology.manage")

    class Meta:
        verbose_name = "意识形态研判会议"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y年%m月%d日}{self.get_kind_display()}"


class MeetingReminder(models.Model):
    """A reminder sent for a period ending without its meeting: one row per (unit, kind, year, period), so a second
    run of meetings_due sends nothing."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Meeting.Kind.choices)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveSmallIntegerField()  # the period's number in the year (1 = the first)
    period_end = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "研判会议提醒"
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year", "seq"], name="ideology_meeting_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}第{self.seq}期提醒"
