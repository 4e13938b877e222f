"""学习教育 (section 二 of the deployment speech, 牢牢把握"教育"): study sessions of configurable kinds with their
frequency rules (中心组学习, 三会一课, 主题党日, 组织生活会, 廉政课堂, 警示教育…), attendance, compliance, and the
materials library (正面典型, 反面教材, 家风家教, policy documents).

Kinds and their scope (services.KINDS; frequencies in settings.EDUCATION_MONTHS, env-overridable): the 三会一课 kinds,
主题党日 and 组织生活会 belong to a branch (支部); the 党组理论学习中心组学习, 廉政课堂 and 警示教育 to the unit. The
党组书记 lectures a 党课 at least once a year (a compliance row of the unit).

Who does what (org/roles.py, the education block):
- education.view: every business role and the superior. A session is seen by the secretary, the 纪检组长, the office
  and the superior (whole unit), by the people on its roster (present or absent) and by its branch's 支部书记.
- education.record: every business role of a unit holds it, but services.can_record decides: holders of
  education.manage record any session of their unit; anyone else only the sessions of a branch whose 支部书记 they are
  (BranchSecretary). A user who leads no branch gets 403 on the new-session page.
- education.manage: the secretary, the office and the 纪检组长 keep the materials library and name each branch's
  支部书记.
- A person's study record: their own, and everyone's for the whole-unit roles and the superior.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from qingfeng.core.models import BaseModel
from qingfeng.org.access import BusinessScope


class BranchSecretary(models.Model):
    """The 支部书记 of a branch (the org app knows branches but not who leads them). One row per branch; changing the
    secretary updates the row (audited)."""

    branch = models.OneToOneField("org.Branch", on_delete=models.PROTECT, related_name="education_secretary")
    person = models.ForeignKey("org.Person", verbose_name="支部书记", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "支部书记"

    def __str__(self) -> str:
        return f"{self.branch}：{self.person}"


class Material(BaseModel):
    """One item of the materials library."""

    class Kind(models.TextChoices):
        POSITIVE = "positive", "正面典型"
        NEGATIVE = "negative", "反面教材（警示案例）"
        FAMILY = "family", "家风家教"
        POLICY = "policy", "政策文件"

    class CaseCategory(models.TextChoices):
        NONE = "", "—"
        POLITICAL = "political", "违反政治纪律"
        ORGANIZATION = "organization", "违反组织纪律"
        INTEGRITY = "integrity", "违反廉洁纪律"
        MASSES = "masses", "违反群众纪律"
        WORK = "work", "违反工作纪律"
        LIFE = "life", "违反生活纪律"
        CRIME = "crime", "职务犯罪"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    case_category = models.CharField(
        "案例类别", max_length=12, choices=CaseCategory.choices, blank=True, default=CaseCategory.NONE
    )
    tags = models.CharField("标签", max_length=200, blank=True, help_text="以逗号分隔")
    source = models.CharField("来源", max_length=200, blank=True)
    content = models.TextField("内容摘要")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # Read by everyone of the unit: the whole-unit roles and the superior, and every person of the unit (`unit__people`:
    # the library is the unit's, so that an attachment downloads for staff too); written by education.manage.
    access_scope = BusinessScope(unit="unit", person="unit__people", write_perm="education.manage")

    class Meta:
        verbose_name = "学习资料"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "kind"])]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in (x.strip() for x in self.tags.replace("，", ",").split(",")) if t]


class StudySession(BaseModel):
    """One study session that was held (never one planned: the date is not after the day it is recorded)."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(
        "org.Branch", verbose_name="支部", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类别", max_length=10)  # services.KINDS
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=100)
    host = models.ForeignKey("org.Person", verbose_name="主持人", on_delete=models.PROTECT, related_name="+")
    recorder = models.ForeignKey(
        "org.Person", verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    speaker = models.ForeignKey(
        "org.Person", verbose_name="授课人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField("议题/主题", max_length=300)
    content = models.TextField("学习内容")
    summary = models.TextField("发言摘要", blank=True)
    hours = models.DecimalField("学时（小时）", max_digits=4, decimal_places=1)
    expected = models.PositiveIntegerField("应到人数", default=0)
    materials = models.ManyToManyField(Material, verbose_name="学习资料", blank=True, related_name="sessions")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    access_scope = BusinessScope(
        unit="unit",
        person="attendances__person",
        leader="branch__education_secretary__person",
        write_perm="education.record",
    )

    class Meta:
        verbose_name = "学习会议"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "kind", "date"]), models.Index(fields=["branch", "kind", "date"])]

    def __str__(self) -> str:
        from qingfeng.education.kinds import label

        return f"{self.date:%Y年%m月%d日}{label(self.kind)}"

    @property
    def kind_display(self) -> str:
        from qingfeng.education.kinds import label

        return label(self.kind)


class Attendance(models.Model):
    """One person of a session's roster: present, or absent with the reason and, later, the 补学 (make-up study)."""

    session = models.ForeignKey(StudySession, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField("出席", default=True)
    absence_reason = models.CharField("缺席原因", max_length=200, blank=True)
    makeup_date = models.DateField("补学日期", null=True, blank=True)
    makeup_note = models.CharField("补学情况", max_length=300, blank=True)

    class Meta:
        verbose_name = "出席情况"
        ordering = ["session_id", "-present", "person__order", "person_id"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="education_attendance_once")]

    def __str__(self) -> str:
        return f"{self.person}：{'出席' if self.present else '缺席'}"


class SessionReminder(models.Model):
    """A reminder sent for a period ending without its session: one row per (unit, branch, kind, year, period), so a
    second run of sessions_due sends nothing. `branch_key` is the branch id, 0 for the unit's own kinds (a NULL
    would not be unique)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    branch_key = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveSmallIntegerField()
    period_end = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "学习会议提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "branch_key", "kind", "year", "seq"], name="education_session_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.kind}第{self.seq}期提醒"
