"""Attachments (SECURITY.md I2): size cap, type by content (never by file name), random stored name, SM3 digest;
served as a download with nosniff, only to users who may see the owning record."""

from __future__ import annotations

import os
import uuid
from typing import Any

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from qingfeng.core import audit, crypto
from qingfeng.core.errors import UserError
from qingfeng.core.models import Attachment

# Content types accepted, by what the bytes are. Office formats are zip containers: filetype names them.
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/x-ofd": "ofd",
    "application/zip": "zip",
    "text/plain": "txt",
}


def _head(upload: UploadedFile, size: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            # a multi-byte character cut at the end of the sample is still text
            try:
                head[:-3].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
    return False


def detect_type(upload: UploadedFile) -> str | None:
    """The content type of the bytes, or None when it is not one we accept."""
    head = _head(upload)
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        if mime == "application/zip" and upload.name and upload.name.lower().endswith(".ofd"):
            return "application/x-ofd"
        return mime if mime in ALLOWED else None
    if _looks_like_text(head):
        return "text/plain"
    return None


def check_upload(upload: UploadedFile | None) -> str:
    """Raise UserError with a Chinese reason unless the upload is acceptable; return its content type."""
    if upload is None:
        raise UserError("请选择要上传的文件")
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if upload.size == 0:
        raise UserError(f"文件“{upload.name}”是空文件")
    if upload.size > limit:
        raise UserError(f"文件“{upload.name}”超过 {settings.UPLOAD_MAX_MB} MB 的上限")
    mime = detect_type(upload)
    if mime is None:
        raise UserError(f"文件“{upload.name}”的类型不允许上传（仅限 PDF、图片、Office 文档、OFD、文本、ZIP）")
    return mime


@transaction.atomic
def attachment_create(*, actor: Any, owner: models.Model, unit: Any, upload: UploadedFile) -> Attachment:
    mime = check_upload(upload)
    digest = crypto.sm3_new()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = os.path.basename(upload.name or "file")[:200]
    attachment = Attachment(
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        unit=unit,
        original_name=original,
        content_type=mime,
        size=upload.size,
        sm3=digest.hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{ALLOWED[mime]}", upload, save=False)
    try:
        attachment.full_clean(exclude=["file"])
        attachment.save()
        audit.record(
            actor=actor,
            action="attachment.create",
            obj=attachment,
            changes={"owner": f"{owner._meta.label_lower}:{owner.pk}", "name": original, "sm3": attachment.sm3},
        )
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Any, attachment: Attachment) -> None:
    """Soft delete; the stored file is removed with the record (SECURITY.md D3)."""
    from django.utils import timezone

    attachment.deleted_at = timezone.now()
    attachment.save(update_fields=["deleted_at", "updated_at"])
    audit.record(actor=actor, action="attachment.delete", obj=attachment)
    name = attachment.file.name
    storage = attachment.file.storage
    transaction.on_commit(lambda: storage.delete(name))


def attachments_of(owner: models.Model) -> models.QuerySet[Attachment]:
    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    ).select_related("uploaded_by")
