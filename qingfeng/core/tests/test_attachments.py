"""SECURITY.md I2, D3: uploads checked by content and size, stored under a random name with their SM3 digest, and
served only to users who may see the owning record."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from qingfeng.core import crypto
from qingfeng.core.attachments import attachment_create, attachment_delete
from qingfeng.core.errors import UserError
from qingfeng.core.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(["工号", "姓名"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_upload_is_stored_under_a_random_name_with_its_sm3(cast) -> None:
    person = cast.users["staff"].person
    att = attachment_create(
        actor=cast.users["sysadmin"], owner=person, unit=person.unit, upload=SimpleUploadedFile("任免文件.pdf", PDF)
    )
    assert att.content_type == "application/pdf"
    assert att.sm3 == crypto.sm3_hex(PDF)
    assert att.original_name == "任免文件.pdf"
    assert "任免" not in att.file.name and att.file.name.endswith(".pdf")
    assert att.file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "类型不允许"),  # a Windows program named .pdf
        ("空.txt", b"", "空文件"),
        ("脚本.html", b"\x00\x01binary\x00junk" * 10, "类型不允许"),
    ],
)
def test_the_type_comes_from_the_bytes_not_the_name(cast, name, content, reason) -> None:
    person = cast.users["staff"].person
    with pytest.raises(UserError, match=reason):
        attachment_create(
            actor=cast.users["sysadmin"], owner=person, unit=person.unit, upload=SimpleUploadedFile(name, content)
        )
    assert not Attachment.objects.filter(original_name=name).exists()


def test_office_files_and_text_are_accepted(cast) -> None:
    person = cast.users["staff"].person
    sysadmin = cast.users["sysadmin"]
    xlsx = attachment_create(
        actor=sysadmin, owner=person, unit=person.unit, upload=SimpleUploadedFile("a.xlsx", _xlsx())
    )
    assert xlsx.content_type.endswith("spreadsheetml.sheet")
    txt = attachment_create(
        actor=sysadmin,
        owner=person,
        unit=person.unit,
        upload=SimpleUploadedFile("说明.txt", "整改说明：已完成。".encode("gb18030")),
    )
    assert txt.content_type == "text/plain"


def test_a_file_over_the_limit_is_refused(cast, settings) -> None:
    settings.UPLOAD_MAX_MB = 1
    person = cast.users["staff"].person
    with pytest.raises(UserError, match="超过 1 MB"):
        attachment_create(
            actor=cast.users["sysadmin"],
            owner=person,
            unit=person.unit,
            upload=SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)),
        )


def test_the_download_is_an_attachment_with_nosniff_for_those_who_may_see_it(cast, login) -> None:
    person = cast.users["staff"].person
    att = attachment_create(
        actor=cast.users["sysadmin"], owner=person, unit=person.unit, upload=SimpleUploadedFile("任免文件.pdf", PDF)
    )
    response = login("sysadmin").get(f"/files/{att.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    # people who may not see a person's papers get "not found", as if there were no file
    for role in ("staff", "outsider", "auditor"):
        assert login(role).get(f"/files/{att.pk}/").status_code == 404


def test_a_deleted_attachment_takes_its_file_with_it(cast, django_capture_on_commit_callbacks) -> None:
    person = cast.users["staff"].person
    att = attachment_create(
        actor=cast.users["sysadmin"], owner=person, unit=person.unit, upload=SimpleUploadedFile("x.pdf", PDF)
    )
    path = att.file.path
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(actor=cast.users["sysadmin"], attachment=att)
    import os

    assert not os.path.exists(path)
    assert not Attachment.objects.filter(pk=att.pk).exists()


def test_the_person_page_upload_shows_a_chinese_error_for_a_bad_file(cast, login) -> None:
    person = cast.users["staff"].person
    client = login("sysadmin")
    response = client.post(
        f"/org/people/{person.pk}/attachments/",
        {"file": SimpleUploadedFile("a.pdf", b"\x00\x01\x02" * 50)},
        follow=True,
    )
    assert "类型不允许上传" in response.content.decode()
