"""制度 and 三重一大 (section 二 of the deployment speech, 牢牢把握"制度"): the rule registry with versions, review
reminders and the 废改立 workflow; 三重一大 decisions with their procedure checker.

Who does what (org/roles.py, the rules block):
- rules.view: every business role of the unit and the superior (read-only) see the unit's rules and 废改立 proposals;
  a 三重一大 decision is seen by the whole-unit roles (secretary, 纪检组长, office), the superior and the members
  recorded at its meeting (a 班子成员 sees the decisions of the meetings they were listed for); heads and staff do not.
- rules.comment: every business role of the unit records a 征求意见 comment on a draft.
- rules.manage: the office and the secretary register rules, run 废改立 (propose, draft, open and close 征求意见,
  publish) and record 三重一大 decisions (调研论证/征求意见 records, the meeting, opinions).
- rules.decide: the secretary records the 党组's approval of a 废改立 proposal.

A rule's status: 现行 (in force as first issued), 已修订 (in force, revised at least once: its current version is
not the first), 已废止 (repealed). The text of each version is kept; the rule's `text` is the current version's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from qingfeng.core.models import BaseModel
from qingfeng.org.access import BusinessScope


class Rule(BaseModel):
    """One 制度 of the unit."""

    class Status(models.TextChoices):
        CURRENT = "current", "现行"
        REVISED = "revised", "已修订"
        REPEALED = "repealed", "已废止"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("制度名称", max_length=200)
    number = models.CharField("文号", max_length=100, blank=True)
    department = models.ForeignKey(
        "org.Department", verbose_name="制定科室", on_delete=models.PROTECT, related_name="+"
    )
    effective_date = models.DateField("生效日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.CURRENT)
    text = models.TextField("全文")
    version = models.PositiveSmallIntegerField("现行版本", default=1)
    review_date = models.DateField("复审日期", null=True, blank=True)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # Every person of the unit (a rule binds them all), the whole-unit roles and the superior.
    access_scope = BusinessScope(unit="unit", person="unit__people", write_perm="rules.manage")

    class Meta:
        verbose_name = "制度"
        ordering = ["unit_id", "-effective_date", "-id"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["status", "review_date"])]

    def __str__(self) -> str:
        return self.title


class RuleVersion(models.Model):
    """One version of a rule's text: what it said from its effective date, and what changed."""

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField("版本")
    text = models.TextField("全文")
    effective_date = models.DateField("生效日期")
    change_note = models.TextField("修订说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "制度版本"
        ordering = ["rule_id", "number"]
        constraints = [models.UniqueConstraint(fields=["rule", "number"], name="rules_version_unique_number")]

    def __str__(self) -> str:
        return f"第{self.number}版"


class ReviewReminder(models.Model):
    """A review reminder sent for a rule: one row per (rule, review date), so a second run of rules_due sends
    nothing."""

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="+")
    review_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "制度复审提醒"
        constraints = [models.UniqueConstraint(fields=["rule", "review_date"], name="rules_review_reminder_once")]

    def __str__(self) -> str:
        return f"{self.review_date}复审提醒"


class Proposal(BaseModel):
    """A 废改立 proposal: make (立), revise (改) or repeal (废) a rule, through 起草, 征求意见, 党组审议 and 发布."""

    class Kind(models.TextChoices):
        MAKE = "make", "立"
        REVISE = "revise", "改"
        REPEAL = "repeal", "废"

    class Stage(models.TextChoices):
        PROPOSED = "proposed", "已提出"
        DRAFTED = "drafted", "征求意见中"  # the draft is done; comments are taken
        CONSULTED = "consulted", "待党组审议"
        APPROVED = "approved", "党组已审议通过"
        PUBLISHED = "published", "已发布"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=8, choices=Kind.choices)
    rule = models.ForeignKey(
        Rule, verbose_name="涉及制度", null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField("制度名称", max_length=200)
    reason = models.TextField("理由")
    department = models.ForeignKey(
        "org.Department", verbose_name="起草科室", on_delete=models.PROTECT, related_name="+"
    )
    draft_deadline = models.DateField("起草时限")
    stage = models.CharField("环节", max_length=10, choices=Stage.choices, default=Stage.PROPOSED)
    draft_text = models.TextField("草案", blank=True)
    approved_on = models.DateField("党组审议日期", null=True, blank=True)
    task = models.ForeignKey(
        "supervision.Task", verbose_name="起草督办", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finding = models.ForeignKey(
        "rectification.Finding",
        verbose_name="整改问题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    access_scope = BusinessScope(unit="unit", person="unit__people", write_perm="rules.manage")

    class Meta:
        verbose_name = "废改立"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "stage"])]

    def __str__(self) -> str:
        return f"【{self.get_kind_display()}】{self.title}"


class ProposalStep(models.Model):
    """One step of a proposal, in order: who, when, and a note."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="steps")
    stage = models.CharField("环节", max_length=10, choices=Proposal.Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "废改立环节"
        ordering = ["proposal_id", "at", "id"]

    def __str__(self) -> str:
        return self.get_stage_display()


class Comment(models.Model):
    """A 征求意见 comment on a proposal's draft."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("意见")
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "征求意见"
        ordering = ["proposal_id", "at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class Decision(BaseModel):
    """A 三重一大 matter decided (or to be decided) collectively."""

    class Kind(models.TextChoices):
        MAJOR = "major", "重大事项决策"
        CADRE = "cadre", "重要干部任免"
        PROJECT = "project", "重大项目安排"
        FUNDS = "funds", "大额度资金运作"

    class MeetingKind(models.TextChoices):
        PARTY = "party", "党组会议"
        OFFICE = "office", "局长办公会议"
        OTHER = "other", "其他（未经会议）"

    class Result(models.TextChoices):
        PENDING = "pending", "未决"
        PASSED = "passed", "通过"
        REJECTED = "rejected", "未通过"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("事项类别", max_length=8, choices=Kind.choices)
    title = models.CharField("事项", max_length=200)
    proposal = models.TextField("议题内容")
    amount_wan = models.DecimalField("涉及金额（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    meeting_kind = models.CharField("决策会议", max_length=8, choices=MeetingKind.choices, blank=True)
    meeting_date = models.DateField("会议日期", null=True, blank=True)
    host = models.ForeignKey(
        "org.Person", verbose_name="主持人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField("决定", max_length=10, choices=Result.choices, default=Result.PENDING)
    decision_text = models.TextField("决定内容", blank=True)
    # The procedure checker's findings, refreshed by every service that changes the decision (the list of decisions
    # with problems filters on problem_count).
    problems = models.JSONField("程序问题", default=list, blank=True)
    problem_count = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    access_scope = BusinessScope(unit="unit", leader="attendances__person", write_perm="rules.manage")

    class Meta:
        verbose_name = "三重一大事项"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "problem_count"])]

    def __str__(self) -> str:
        return self.title


class Preparation(models.Model):
    """调研论证 or 征求意见 before the meeting."""

    class Kind(models.TextChoices):
        RESEARCH = "research", "调研论证"
        CONSULT = "consult", "征求意见"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="preparations")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    date = models.DateField("日期")
    note = models.TextField("情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "调研论证/征求意见"
        ordering = ["decision_id", "date", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Attendance(models.Model):
    """A member of the 党组 at the decision's meeting: present or not, recused or not."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField("到会", default=True)
    recused = models.BooleanField("回避", default=False)
    note = models.CharField("缺席或回避原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "到会情况"
        ordering = ["decision_id", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "person"], name="rules_attendance_once")]

    def __str__(self) -> str:
        return str(self.person_id)


class Opinion(models.Model):
    """A member's stated opinion (表态) in speaking order."""

    class Stance(models.TextChoices):
        AGREE = "agree", "同意"
        DISAGREE = "disagree", "不同意"
        ABSTAIN = "abstain", "弃权"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="opinions")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField("发言顺序")
    stance = models.CharField("表态", max_length=10, choices=Stance.choices)
    text = models.TextField("发言要点", blank=True)

    class Meta:
        verbose_name = "表态发言"
        ordering = ["decision_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "person"], name="rules_opinion_once")]

    def __str__(self) -> str:
        return f"第{self.order}位·{self.get_stance_display()}"
