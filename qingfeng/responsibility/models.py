"""两个责任: the yearly responsibility lists (责任清单) and their items, the 党风廉政建设责任书 each leader and
department head signs, talks (谈心谈话/提醒谈话/廉政谈话/约谈) with their frequency rules, and the yearly
述责述廉 with its 民主测评.

An item with a 完成时限 or a 频次 is carried out as a supervision Task (created when its list is published); its
落实情况 is read from that task, never kept here."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from qingfeng.core.models import BaseModel
from qingfeng.org.access import BusinessScope


class ResponsibilityList(BaseModel):
    """One of a unit's four yearly lists. A 一岗双责 list belongs to one leader (`leader`)."""

    class Kind(models.TextChoices):
        PARTY_GROUP = "party_group", "党组主体责任清单"
        SECRETARY = "secretary", "书记第一责任人清单"
        LEADER = "leader", "班子成员一岗双责清单"
        SUPERVISION = "supervision", "纪检监督责任清单"
        IDEOLOGY = "ideology", "意识形态工作责任清单"  # kept by the office; the ideology dashboard links to it

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    kind = models.CharField("清单类别", max_length=12, choices=Kind.choices)
    leader = models.ForeignKey(
        "org.Person", verbose_name="班子成员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    copied_from = models.ForeignKey(
        "self", verbose_name="复制自", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Declared for the platform's helpers (write permission, unit); who sees a list is decided by
    # selectors.visible_lists (everyone of the unit sees the published lists, see the module's docstring).
    access_scope = BusinessScope(unit="unit", leader="leader", write_perm="responsibility.manage")

    class Meta:
        verbose_name = "责任清单"
        ordering = ["-year", "kind", "leader_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind", "leader"],
                condition=models.Q(deleted_at__isnull=True),
                name="resp_list_unique",
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        who = f"（{self.leader.name}）" if self.kind == self.Kind.LEADER and self.leader_id else ""
        return f"{self.year}年度{self.get_kind_display()}{who}"


class ResponsibilityItem(BaseModel):
    """One row of a list (DOMAIN.md: 序号, 责任内容, 具体措施, 责任主体, 责任人, 完成时限/频次, 落实情况)."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "每月"
        QUARTERLY = "quarterly", "每季度"
        HALF_YEARLY = "halfyearly", "每半年"
        YEARLY = "yearly", "每年"
        LONG_TERM = "long_term", "长期"

    rlist = models.ForeignKey(
        ResponsibilityList, verbose_name="责任清单", on_delete=models.PROTECT, related_name="items"
    )
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField("序号")
    content = models.TextField("责任内容")
    measures = models.TextField("具体措施", blank=True)
    owner_person = models.ForeignKey(
        "org.Person", verbose_name="责任主体（领导）", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_department = models.ForeignKey(
        "org.Department",
        verbose_name="责任主体（科室）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_person = models.ForeignKey(
        "org.Person", verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    frequency = models.CharField("频次", max_length=10, choices=Frequency.choices, blank=True)
    # The first supervision task of the item (a recurring item's later occurrences follow it, see selectors).
    task = models.OneToOneField(
        "supervision.Task",
        verbose_name="督办事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibility_item",
    )

    access_scope = BusinessScope(
        unit="unit",
        department="owner_department",
        person="responsible_person",
        leader="owner_person",
        write_perm="responsibility.manage",
    )

    class Meta:
        verbose_name = "责任清单事项"
        ordering = ["rlist_id", "seq", "id"]
        indexes = [models.Index(fields=["owner_person"]), models.Index(fields=["responsible_person"])]

    def __str__(self) -> str:
        return f"{self.seq}. {self.content[:30]}"

    @property
    def owner_name(self) -> str:
        if self.owner_person_id:
            return self.owner_person.name
        return self.owner_department.name if self.owner_department_id else ""

    @property
    def timing(self) -> str:
        """完成时限/频次 as the clerks write it."""
        if self.frequency:
            return self.get_frequency_display()
        from qingfeng.supervision.services._common import cn_date

        return cn_date(self.deadline, "")


class Letter(BaseModel):
    """党风廉政建设责任书 of one signer (a 班子成员 or a 科室负责人) for a year. The signed scan is an Attachment owned
    by the letter; `signed_on` is set when it is uploaded."""

    class SignerKind(models.TextChoices):
        LEADER = "leader", "班子成员"
        HEAD = "head", "科室负责人"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    signer = models.ForeignKey("org.Person", verbose_name="签订人", on_delete=models.PROTECT, related_name="+")
    signer_kind = models.CharField("签订人类别", max_length=10, choices=SignerKind.choices)
    department = models.ForeignKey(
        "org.Department", verbose_name="科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField("签订日期", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    access_scope = BusinessScope(unit="unit", person="signer", write_perm="responsibility.manage")

    class Meta:
        verbose_name = "党风廉政建设责任书"
        ordering = ["-year", "signer_kind", "signer__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "signer"],
                condition=models.Q(deleted_at__isnull=True),
                name="resp_letter_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年度党风廉政建设责任书（{self.signer.name}）"


class Talk(BaseModel):
    """One talk: who talked with whom, kind, when, where, a non-confidential summary and its follow-up tasks. A
    提醒谈话 that is a 四种形态 measure is recorded in the integrity app's confidential ledger, not here."""

    class Kind(models.TextChoices):
        HEART = "heart", "谈心谈话"
        REMINDER = "reminder", "提醒谈话"
        INTEGRITY = "integrity", "廉政谈话"
        SUMMONS = "summons", "约谈"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("谈话类别", max_length=10, choices=Kind.choices)
    talker = models.ForeignKey("org.Person", verbose_name="谈话人", on_delete=models.PROTECT, related_name="+")
    talkee = models.ForeignKey("org.Person", verbose_name="谈话对象", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("谈话日期")
    place = models.CharField("地点", max_length=100)
    summary = models.TextField("谈话要点")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tasks = models.ManyToManyField("supervision.Task", verbose_name="整改落实事项", blank=True, related_name="+")

    # The whole-unit roles and the superior; a leader, head or staff member sees the talks they gave or received.
    access_scope = BusinessScope(unit="unit", person="talkee", leader="talker", write_perm="responsibility.talk")

    class Meta:
        verbose_name = "谈话记录"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["unit", "date"]),
            models.Index(fields=["talker", "date"]),
            models.Index(fields=["talkee", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.talker.name}→{self.talkee.name}"


class TalkRule(BaseModel):
    """A frequency rule: who talks with whom, of which kind (blank: any), at least `minimum` times per period.
    A unit without rules of its own uses DEFAULT_RULES (services/talks.py)."""

    class Relation(models.TextChoices):
        SECRETARY_LEADERS = "sec_leaders", "党组书记 → 每位班子成员"
        LEADER_HEADS = "leader_heads", "班子成员 → 分管科室负责人"
        INSPECTOR_LEADERS = "insp_leaders", "纪检组长 → 每位班子成员"
        SECRETARY_HEADS = "sec_heads", "党组书记 → 每位科室负责人"

    class Period(models.TextChoices):
        YEAR = "year", "每年"
        HALF = "half", "每半年"
        QUARTER = "quarter", "每季度"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField("谈话关系", max_length=14, choices=Relation.choices)
    kind = models.CharField("谈话类别", max_length=10, choices=Talk.Kind.choices, blank=True)
    minimum = models.PositiveSmallIntegerField("至少次数", default=1)
    period = models.CharField("周期", max_length=8, choices=Period.choices, default=Period.YEAR)
    active = models.BooleanField("启用", default=True)

    access_scope = BusinessScope(unit="unit", write_perm="responsibility.manage")

    class Meta:
        verbose_name = "谈话频次规则"
        ordering = ["unit_id", "id"]

    def __str__(self) -> str:
        kind = self.get_kind_display() if self.kind else "谈话"
        return f"{self.get_relation_display()}：{self.get_period_display()}至少{self.minimum}次{kind}"


class DutyReport(BaseModel):
    """述责述廉: a leader's yearly report (text, or a .docx attachment owned by this row) due by `due`, and the
    民主测评 counts entered by the office."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    leader = models.ForeignKey("org.Person", verbose_name="述职人", on_delete=models.PROTECT, related_name="+")
    due = models.DateField("报送期限")
    text = models.TextField("述责述廉报告", blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    excellent = models.PositiveIntegerField("优秀", null=True, blank=True)
    competent = models.PositiveIntegerField("称职", null=True, blank=True)
    basic = models.PositiveIntegerField("基本称职", null=True, blank=True)
    incompetent = models.PositiveIntegerField("不称职", null=True, blank=True)

    access_scope = BusinessScope(unit="unit", person="leader", write_perm="responsibility.manage")

    class Meta:
        verbose_name = "述责述廉"
        ordering = ["-year", "leader__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "leader"],
                condition=models.Q(deleted_at__isnull=True),
                name="duty_report_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年度述责述廉（{self.leader.name}）"

    @property
    def votes(self) -> int | None:
        counts = [self.excellent, self.competent, self.basic, self.incompetent]
        return None if any(c is None for c in counts) else sum(counts)  # type: ignore[arg-type]

    @property
    def good_rate(self) -> int | None:
        """优秀和称职 as a share of the votes, in percent."""
        votes = self.votes
        return round(100 * ((self.excellent or 0) + (self.competent or 0)) / votes) if votes else None
