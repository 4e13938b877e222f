"""Platform records: the base of every business model, the audit chain, attachments, notifications and the
holiday table of the working-day calendar."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AliveManager(models.Manager):
    """Rows not soft-deleted. Nothing in Qingfeng is hard-deleted (DESIGN.md, rules of the house)."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class BaseModel(models.Model):
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False)

    objects = AliveManager()
    all_objects = models.Manager()  # noqa: DJ012 - the managers belong with the soft-delete field

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审计日志只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计日志只能追加，不能删除")


class AuditEvent(models.Model):
    """One event of the audit log (SECURITY.md L1-L4). Written only by core.audit.record; each row carries
    the HMAC-SM3 of its canonical JSON, which includes the previous row's hash."""

    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        DENIED = "denied", "拒绝"

    seq = models.BigIntegerField("序号", unique=True)
    occurred_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("用户", max_length=150, blank=True)
    ip = models.CharField("IP地址", max_length=45, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    result = models.CharField("结果", max_length=16, choices=Result.choices, default=Result.SUCCESS)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor", "seq"])]

    def __str__(self) -> str:
        return f"{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计日志只能追加，不能删除")

    @property
    def changes_text(self) -> str:
        import json

        return json.dumps(self.changes, ensure_ascii=False, sort_keys=True) if self.changes else ""

    @property
    def object_label(self) -> str:
        """The Chinese name of the object's model (org.person → 干部职工), else the stored type."""
        from django.apps import apps

        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type


class AuditChainHead(models.Model):
    """A single row that serialises writers of the chain and remembers its tail (so a cut tail is seen)."""

    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"audit head {self.seq}"


class Attachment(BaseModel):
    """A file attached to a record (evidence, rosters…), checked by content, stored under a random name with
    its SM3 digest, and served only to users who may see the owning record (SECURITY.md I2)."""

    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="attachments/%Y/%m/", max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sm3 = models.CharField("SM3摘要", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "附件"
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class HolidayOverride(BaseModel):
    """A day entered by the 系统管理员 when the State Council publishes a year's arrangement: it overrides the
    chinese-calendar package (which only knows the years up to its release)."""

    date = models.DateField("日期")
    is_workday = models.BooleanField("是否工作日", help_text="勾选表示调休上班日，不勾选表示放假日")
    name = models.CharField("名称", max_length=50, blank=True)

    class Meta:
        verbose_name = "节假日"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(deleted_at__isnull=True), name="holiday_override_unique_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'}"


class WorkerHeartbeat(models.Model):
    """The last round of a background process (`qingfeng worker`), for /healthz and `qingfeng doctor`: one row
    per process name, overwritten each round."""

    name = models.CharField("进程", max_length=50, unique=True)
    beat_at = models.DateTimeField("最近一轮")
    interval_seconds = models.PositiveIntegerField("间隔秒数", default=0)
    host = models.CharField("主机", max_length=100, blank=True)
    pid = models.PositiveIntegerField("进程号", default=0)

    class Meta:
        verbose_name = "后台任务心跳"

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at}"
