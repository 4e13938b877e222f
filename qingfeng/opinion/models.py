"""舆情处置 (section 四 of the deployment speech): incidents from 发现 to 复盘, each step timed against its limit, the
severity suggested by keyword rules, 回应口径 approved before release, and monitoring exports imported.

An incident's steps are rows (IncidentStep: who, when, a note) and their times are also kept on the incident
(reported_at, verified_at, …) so that lists, the dashboard and report_figures read one table."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from qingfeng.core.models import BaseModel
from qingfeng.org.access import BusinessScope


class Level(models.IntegerChoices):
    ORDINARY = 1, "一般"
    LARGER = 2, "较大"
    MAJOR = 3, "重大"
    EXTRA = 4, "特别重大"


# 重大 and 特别重大 run against the shorter limits (authoritative information within 5 hours, a press conference
# within 24 hours); 一般 and 较大 answer within 48 hours.
MAJOR_LEVELS = frozenset({Level.MAJOR, Level.EXTRA})


class Step(models.TextChoices):
    FOUND = "found", "发现"
    REPORTED = "reported", "报告"
    VERIFIED = "verified", "核实"
    ASSESSED = "assessed", "研判"
    RESPONDED = "responded", "回应/引导"
    HANDLED = "handled", "处置完毕"
    REVIEWED = "reviewed", "复盘"
    # A milestone outside the order: the press conference of a 重大/特别重大 incident, any time after 报告.
    PRESS = "press", "新闻发布会"


# The steps in their order; each is recorded after the one before it, never before it in time.
STEP_ORDER: list[str] = [
    Step.FOUND,
    Step.REPORTED,
    Step.VERIFIED,
    Step.ASSESSED,
    Step.RESPONDED,
    Step.HANDLED,
    Step.REVIEWED,
]
# The incident's column holding each step's time.
STEP_FIELD: dict[str, str] = {
    Step.FOUND: "found_at",
    Step.REPORTED: "reported_at",
    Step.VERIFIED: "verified_at",
    Step.ASSESSED: "assessed_at",
    Step.RESPONDED: "responded_at",
    Step.HANDLED: "handled_at",
    Step.REVIEWED: "reviewed_at",
    Step.PRESS: "press_at",
}


class SeverityRule(BaseModel):
    """A keyword rule that suggests a severity: it fires when one of its keywords is a word of the incident's title
    and content (jieba segmentation; the keywords are added to the dictionary so that they stay whole). A rule of no
    unit (通用规则) applies to every unit; a unit's rule with the same topic replaces it there (an inactive one
    switches it off)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField("主题", max_length=50)
    level = models.PositiveSmallIntegerField("建议等级", choices=Level.choices)
    keywords = models.TextField("关键词", help_text="以逗号、顿号、空格或换行分隔")
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    access_scope = BusinessScope(unit="unit", write_perm="opinion.manage")

    class Meta:
        verbose_name = "研判规则"
        ordering = ["-level", "topic", "id"]

    def __str__(self) -> str:
        return f"{self.topic}（{self.get_level_display()}）"

    @property
    def keyword_list(self) -> list[str]:
        from qingfeng.opinion.services.severity import split_keywords

        return split_keywords(self.keywords)


class MonitorImport(BaseModel):
    """One upload of a monitoring service's export: parsed and judged (new / merged / refused) for the preview,
    stored only when confirmed."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "待确认"
        CONFIRMED = "confirmed", "已导入"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField("文件名", max_length=200)
    encoding = models.CharField("编码", max_length=20, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField("数据行", default=list)  # the parsed rows, as read (services/importing.py)
    preview = models.JSONField("预览", default=dict)  # counts and the judgement of each row
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("导入时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_count = models.PositiveIntegerField("新增事件", default=0)
    merged_count = models.PositiveIntegerField("合并", default=0)
    refused_count = models.PositiveIntegerField("未导入", default=0)

    access_scope = BusinessScope(unit="unit", write_perm="opinion.manage")

    class Meta:
        verbose_name = "舆情监测导入"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class OpinionIncident(BaseModel):
    """One 舆情事件, from 发现 to 复盘."""

    class Source(models.TextChoices):
        NETWORK = "network", "网络"
        MEDIA = "media", "媒体"
        PETITION = "petition", "信访"
        HOTLINE = "hotline", "12345热线"
        SUPERIOR = "superior", "上级转办"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容", blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    link = models.CharField("发现位置（链接）", max_length=500, blank=True)
    source_site = models.CharField("来源网站", max_length=100, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name="涉及科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The leader on duty for it: the 分管 leader of the department concerned, else the secretary (services).
    leader = models.ForeignKey(
        "org.Person", verbose_name="负责领导", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="值班登记人", on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField("等级", choices=Level.choices)
    suggested_level = models.PositiveSmallIntegerField("建议等级", choices=Level.choices, null=True, blank=True)
    suggested_rule = models.ForeignKey(
        SeverityRule, verbose_name="建议规则", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suggested_words = models.CharField("命中关键词", max_length=200, blank=True)
    step = models.CharField("当前环节", max_length=10, choices=Step.choices, default=Step.FOUND)
    found_at = models.DateTimeField("发现时间")
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    assessed_at = models.DateTimeField("研判时间", null=True, blank=True)
    responded_at = models.DateTimeField("回应时间", null=True, blank=True)
    handled_at = models.DateTimeField("处置完毕时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("复盘时间", null=True, blank=True)
    press_at = models.DateTimeField("新闻发布会时间", null=True, blank=True)
    mentions = models.PositiveIntegerField("合并的相关报道", default=0)
    task = models.ForeignKey(
        "supervision.Task", verbose_name="督办事项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    import_batch = models.ForeignKey(
        MonitorImport, verbose_name="导入批次", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    access_scope = BusinessScope(
        unit="unit", department="department", person="recorded_by__person", leader="leader", write_perm="opinion.record"
    )

    class Meta:
        verbose_name = "舆情事件"
        ordering = ["-found_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "found_at"]),
            models.Index(fields=["unit", "level", "handled_at"]),
            models.Index(
                fields=["unit", "found_at"], condition=models.Q(handled_at__isnull=True), name="opinion_open_found"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinion:incident_detail", args=[self.pk])

    @property
    def is_major(self) -> bool:
        return self.level in MAJOR_LEVELS

    @property
    def is_open(self) -> bool:
        return self.handled_at is None

    def time_of(self, step: str) -> object:
        return getattr(self, STEP_FIELD[step])

    @property
    def next_step(self) -> str | None:
        """The step to record next (None after 复盘)."""
        index = STEP_ORDER.index(self.step) if self.step in STEP_ORDER else 0
        return STEP_ORDER[index + 1] if index + 1 < len(STEP_ORDER) else None


class IncidentStep(BaseModel):
    """One step of an incident: who recorded it, when it happened, and a note."""

    incident = models.ForeignKey(OpinionIncident, on_delete=models.PROTECT, related_name="steps")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    step = models.CharField("环节", max_length=10, choices=Step.choices)
    at = models.DateTimeField("时间")
    note = models.TextField("情况", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "舆情处置环节"
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "step"], name="opinion_step_once")]

    def __str__(self) -> str:
        return f"{self.incident}·{self.get_step_display()}"


class IncidentMention(models.Model):
    """A further report of the same incident merged in by a monitoring import (a repost elsewhere)."""

    incident = models.ForeignKey(OpinionIncident, on_delete=models.PROTECT, related_name="mention_rows")
    batch = models.ForeignKey(MonitorImport, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    link = models.CharField("链接", max_length=500, blank=True)
    source_site = models.CharField("来源网站", max_length=100, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "相关报道"
        ordering = ["published_at", "id"]
        indexes = [models.Index(fields=["link"])]

    def __str__(self) -> str:
        return self.title


class ResponseStatement(BaseModel):
    """回应口径: drafted, approved by the responsible leader (not the drafter), then released. The approved text is a
    snapshot: editing the draft afterwards changes neither it nor what is released."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        APPROVED = "approved", "已审批"
        RELEASED = "released", "已发布"

    incident = models.ForeignKey(OpinionIncident, on_delete=models.PROTECT, related_name="statements")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("口径名称", max_length=100, default="回应口径")
    text = models.TextField("口径（草稿）")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    approved_text = models.TextField("审批通过的口径", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    released_at = models.DateTimeField("发布时间", null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField("发布渠道", max_length=100, blank=True)

    access_scope = BusinessScope(
        unit="unit",
        department="incident__department",
        person="incident__recorded_by__person",
        leader="incident__leader",
        write_perm="opinion.record",
    )

    class Meta:
        verbose_name = "回应口径"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident}·{self.title}"

    @property
    def draft_changed(self) -> bool:
        """The draft was edited after its approval: the approved text is still what would be released."""
        return self.status != self.Status.DRAFT and self.text != self.approved_text


class ClockAlert(models.Model):
    """A reminder or an escalation sent for one limit of one incident: one row each, so that a second run of
    clocks_due, or two at once, sends nothing twice (the unique constraint decides)."""

    class Kind(models.TextChoices):
        REMIND = "remind", "到时提醒"
        ESCALATE = "escalate", "超时督办"

    incident = models.ForeignKey(OpinionIncident, on_delete=models.PROTECT, related_name="alerts")
    step = models.CharField(max_length=10, choices=Step.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField("时限")
    sent_at = models.DateTimeField("发送时间")
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "舆情时限提醒"
        constraints = [models.UniqueConstraint(fields=["incident", "step", "kind"], name="opinion_alert_once")]

    def __str__(self) -> str:
        return f"{self.incident_id}·{self.step}·{self.kind}"
