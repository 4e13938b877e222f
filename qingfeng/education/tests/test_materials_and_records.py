from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from qingfeng.core.errors import UserError
from qingfeng.education import services
from qingfeng.education.tests.factories import second_branch, session

pytestmark = pytest.mark.django_db


def _material(cast, **kwargs):
    data = services.MaterialData(
        **{
            "kind": "negative",
            "title": "某局长违规收受礼金案",
            "case_category": "integrity",
            "tags": "廉洁纪律，礼金",
            "content": "案情",
            **kwargs,
        }
    )
    return services.material_create(actor=cast.users["clerk"], unit=cast.bureau, data=data)


def test_a_warning_case_needs_its_category_and_keeps_its_tags(cast) -> None:
    with pytest.raises(UserError, match="案例类别"):
        _material(cast, case_category="")
    assert _material(cast).tag_list == ["廉洁纪律", "礼金"]


def test_the_library_is_read_by_the_unit_and_not_by_the_three_admins(cast, login) -> None:
    m = _material(cast)
    assert login("staff").get(reverse("education:material_detail", args=[m.pk])).status_code == 200
    assert login("outsider").get(reverse("education:material_detail", args=[m.pk])).status_code == 404
    assert login("auditor").get(reverse("education:material_list")).status_code == 403
    assert login("staff").get(reverse("education:material_new")).status_code == 403


def test_a_person_sees_their_hours_and_what_they_studied(cast, login) -> None:
    m = _material(cast)
    branch = second_branch(cast)
    s = session(cast, absent=1, materials=[m])
    absent = s.attendances.get(present=False).person
    present = s.attendances.filter(present=True).first().person
    from qingfeng.education import selectors

    record = selectors.study_record(present, s.date.year)
    assert record.hours >= s.hours and m in record.materials
    assert selectors.study_record(absent, s.date.year).hours == 0
    page = login("staff").get(reverse("education:my_record"))
    assert "杨丽娟的学习档案" in page.content.decode()
    assert login("staff").get(reverse("education:person_record", args=[present.pk])).status_code == 404
    assert login("clerk").get(reverse("education:person_record", args=[present.pk])).status_code == 200
    assert branch.pk


def test_the_record_book_has_one_page_per_session_and_the_ledger_a_row(cast, login) -> None:
    branch = second_branch(cast)
    session(cast, absent=1)
    session(cast, kind="general")
    response = login("clerk").get(reverse("education:record_book"), {"branch": branch.pk})
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "三会一课" in text and "支委会记录" in text and "党员大会记录" in text
    assert sum(1 for p in document.paragraphs for r in p.runs if 'w:br w:type="page"' in r._r.xml) == 2
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "出差" in "".join(cells)
    sheet = login("clerk").get(reverse("education:ledger"))
    rows = list(load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "序号" and len(rows) >= 3


def test_a_session_photo_downloads_for_its_people_and_a_bad_file_adds_no_material(cast, login) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qingfeng.education.models import Material

    s = session(cast, branch=services.led_branches(cast.users["head"]).get())
    png = SimpleUploadedFile("签到表.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    response = login("head").post(reverse("education:session_photo", args=[s.pk]), {"file": png})
    assert response.status_code == 302
    from qingfeng.core.attachments import attachments_of

    photo = attachments_of(s).get()
    assert login("staff").get(reverse("core:attachment_download", args=[photo.pk])).status_code == 200
    assert login("leader").get(reverse("core:attachment_download", args=[photo.pk])).status_code == 404
    before = Material.objects.count()
    exe = SimpleUploadedFile("案例.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    with pytest.raises(UserError, match="类型不允许"):
        services.material_create(
            actor=cast.users["clerk"],
            unit=cast.bureau,
            data=services.MaterialData(kind="policy", title="文件", content="x"),
            upload=exe,
        )
    assert Material.objects.count() == before
