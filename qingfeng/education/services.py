"""Every write of the education app: study sessions with their attendance and 补学, the branches' 支部书记, the
materials library."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.attachments import attachment_create, check_upload
from qingfeng.core.errors import UserError
from qingfeng.education import kinds
from qingfeng.education.models import Attendance, BranchSecretary, Material, StudySession
from qingfeng.org import access
from qingfeng.org.models import Branch, Person, Unit

RECORD, MANAGE = "education.record", "education.manage"


def led_branches(actor: Any) -> QuerySet[Branch]:
    """The branches whose 支部书记 the user is (on a unit where they may record)."""
    person = getattr(actor, "person", None)
    if person is None:
        return Branch.objects.none()
    return Branch.objects.filter(education_secretary__person=person, unit_id=person.unit_id)


def recordable_branches(actor: Any, unit: Unit) -> QuerySet[Branch]:
    if access.can(actor, MANAGE, unit):
        return Branch.objects.filter(unit=unit)
    if access.can(actor, RECORD, unit):
        return led_branches(actor).filter(unit=unit)
    return Branch.objects.none()


def can_record(actor: Any, unit: Unit, branch: Branch | None) -> bool:
    """The office, the secretary and the 纪检组长 (education.manage) record any session of their unit; anyone else
    with education.record only a session of a branch they lead."""
    if access.can(actor, MANAGE, unit):
        return True
    if branch is None or not access.can(actor, RECORD, unit):
        return False
    return led_branches(actor).filter(pk=branch.pk).exists()


def roster(unit: Unit, kind: str, branch: Branch | None) -> QuerySet[Person]:
    """Who is due to attend (应到): a branch's party members; the 党组 for the 中心组; everyone for the unit's
    廉政课堂 and 警示教育."""
    people = Person.objects.filter(unit=unit, status=Person.Status.ACTIVE)
    if branch is not None:
        return people.filter(branch=branch, is_party_member=True)
    if kind == "center":
        return people.filter(is_leadership=True)
    return people


@dataclass
class SessionData:
    kind: str = ""
    branch: Branch | None = None
    date: dt.date | None = None
    place: str = ""
    host: Person | None = None
    recorder: Person | None = None
    speaker: Person | None = None
    topic: str = ""
    content: str = ""
    summary: str = ""
    hours: Decimal | None = None
    present: list[Person] = field(default_factory=list)
    absence_reasons: str = ""  # one line per absent person: 姓名：原因
    materials: list[Material] = field(default_factory=list)


def parse_reasons(text: str) -> dict[str, str]:
    """「张三：出差」 lines → {name: reason}; a colon (full or half width), a space or a tab separates them."""
    out: dict[str, str] = {}
    for raw in text.replace("：", ":").splitlines():
        line = raw.strip()
        if not line:
            continue
        for sep in (":", "\t", " "):
            if sep in line:
                name, reason = line.split(sep, 1)
                out[name.strip()] = reason.strip()
                break
        else:
            out[line] = ""
    return out


def _check(unit: Unit, data: SessionData, roster_people: list[Person], *, kind_fixed: bool = False) -> dict[int, str]:
    """Validate the fields; return the absences (person id → reason). Every problem at once, in Chinese."""
    problems: list[str] = []
    kind = kinds.BY_CODE.get(data.kind)
    if kind is None:
        problems.append("请选择会议类别")
    elif not kind_fixed:
        if kind.branch and data.branch is None:
            problems.append(f"{kind.label}须选择所属支部")
        if not kind.branch and data.branch is not None:
            problems.append(f"{kind.label}是单位层面的学习，不选支部")
    if data.branch is not None and data.branch.unit_id != unit.pk:
        problems.append("支部须为本单位的支部")
    today = timezone.localdate()
    if data.date is None:
        problems.append("请填写会议日期")
    elif data.date > today:
        problems.append("会议日期不能晚于今天（登记已召开的会议）")
    elif data.date.year < 2000:
        problems.append("会议日期无效")
    if not data.place.strip():
        problems.append("请填写地点")
    if data.host is None:
        problems.append("请选择主持人")
    for who, label in ((data.host, "主持人"), (data.recorder, "记录人"), (data.speaker, "授课人")):
        if who is not None and who.unit_id != unit.pk:
            problems.append(f"{label}须为本单位人员")
    if data.kind == "lecture" and data.speaker is None:
        problems.append("党课须填写授课人")
    if not data.topic.strip():
        problems.append("请填写议题/主题")
    if not data.content.strip():
        problems.append("请填写学习内容")
    if data.hours is None or not Decimal("0.5") <= data.hours <= Decimal("12"):
        problems.append("学时须在 0.5 到 12 小时之间")
    ids = {p.pk for p in roster_people}
    outside = [p.name for p in data.present if p.pk not in ids]
    if outside:
        problems.append(f"出席人员须在应到人员名单内（{'、'.join(outside[:5])}不在名单内）")
    if not data.present:
        problems.append("请勾选出席人员")
    if any(m.unit_id != unit.pk for m in data.materials):
        problems.append("学习资料须为本单位资料库中的资料")
    reasons = parse_reasons(data.absence_reasons)
    present_ids = {p.pk for p in data.present}
    absent = [p for p in roster_people if p.pk not in present_ids]
    names = {p.name for p in roster_people}
    unknown = [n for n in reasons if n not in names]
    if unknown:
        problems.append(f"缺席原因中的人员不在应到人员名单内：{'、'.join(unknown[:5])}")
    missing = [p.name for p in absent if not reasons.get(p.name)]
    if missing:
        problems.append(f"请填写缺席人员的缺席原因（每行“姓名：原因”）：{'、'.join(missing[:10])}")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    return {p.pk: reasons[p.name][:200] for p in absent}


@transaction.atomic
def session_create(*, actor: Any, unit: Unit, data: SessionData) -> StudySession:
    """Record a session that was held, with its attendance (the roster as of today: present, or absent with a
    reason)."""
    access.require(actor, RECORD, unit)
    if data.branch is not None and data.branch.unit_id == unit.pk and not can_record(actor, unit, data.branch):
        raise UserError(f"您不是“{data.branch.name}”的支部书记，不能登记该支部的会议", field="branch")
    if data.branch is None and not access.can(actor, MANAGE, unit):
        raise UserError("单位层面的学习（中心组学习、廉政课堂、警示教育）由办公室登记", field="kind")
    people = list(roster(unit, data.kind, data.branch))
    absences = _check(unit, data, people)
    session = StudySession(
        unit=unit,
        branch=data.branch,
        kind=data.kind,
        date=data.date,
        place=data.place.strip()[:100],
        host=data.host,
        recorder=data.recorder,
        speaker=data.speaker,
        topic=data.topic.strip()[:300],
        content=data.content.strip(),
        summary=data.summary.strip(),
        hours=data.hours,
        expected=len(people),
        recorded_by=actor,
    )
    session.full_clean(exclude=["host", "recorder", "speaker", "branch", "unit", "recorded_by"])
    session.save()
    Attendance.objects.bulk_create(
        Attendance(session=session, person=p, present=p.pk not in absences, absence_reason=absences.get(p.pk, ""))
        for p in people
    )
    session.materials.set(data.materials)
    audit.record(
        actor=actor,
        action="education_session.create",
        obj=session,
        changes={
            "kind": data.kind,
            "branch": str(data.branch or ""),
            "date": data.date,
            "expected": len(people),
            "present": len(people) - len(absences),
            "absent": {p.name: absences[p.pk] for p in people if p.pk in absences},
        },
    )
    return session


@transaction.atomic
def session_update(*, actor: Any, session: StudySession, data: SessionData) -> StudySession:
    """Correct a session's record (its kind and branch stay). The roster is the one it was recorded with; present
    and absent are set again, a 补学 already recorded stays."""
    if not can_record(actor, session.unit, session.branch):
        raise PermissionDenied(RECORD)
    data.kind, data.branch = session.kind, session.branch
    attendances = {a.person_id: a for a in session.attendances.select_related("person")}
    people = [a.person for a in attendances.values()]
    absences = _check(session.unit, data, people, kind_fixed=True)
    before = {f: getattr(session, f) for f in ("date", "place", "topic", "hours")}
    session.date, session.place, session.host = data.date, data.place.strip()[:100], data.host
    session.recorder, session.speaker = data.recorder, data.speaker
    session.topic, session.content = data.topic.strip()[:300], data.content.strip()
    session.summary, session.hours = data.summary.strip(), data.hours
    session.save(
        update_fields=[
            "date",
            "place",
            "host",
            "recorder",
            "speaker",
            "topic",
            "content",
            "summary",
            "hours",
            "updated_at",
        ]
    )
    changed = []
    for person_id, a in attendances.items():
        present, reason = person_id not in absences, absences.get(person_id, "")
        if (a.present, a.absence_reason) != (present, reason):
            a.present, a.absence_reason = present, reason
            a.save(update_fields=["present", "absence_reason"])
            changed.append(f"{a.person.name}：{'出席' if present else '缺席（' + reason + '）'}")
    session.materials.set(data.materials)
    audit.record(
        actor=actor,
        action="education_session.update",
        obj=session,
        changes={"before": before, "attendance": changed, "materials": [m.pk for m in data.materials]},
    )
    return session


@transaction.atomic
def attendance_makeup(
    *, actor: Any, session: StudySession, person: Person | None, date: dt.date | None, note: str
) -> Attendance:
    """补学: an absent person studied the session's content afterwards."""
    if not can_record(actor, session.unit, session.branch):
        raise PermissionDenied(RECORD)
    problems = []
    attendance = session.attendances.filter(person=person, present=False).first() if person else None
    if attendance is None:
        problems.append("请选择本次会议的缺席人员")
    if date is None:
        problems.append("请填写补学日期")
    elif date > timezone.localdate() or date < session.date:
        problems.append("补学日期须在会议之后、不晚于今天")
    if not note.strip():
        problems.append("请填写补学情况")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    assert attendance is not None
    attendance.makeup_date, attendance.makeup_note = date, note.strip()[:300]
    attendance.save(update_fields=["makeup_date", "makeup_note"])
    audit.record(
        actor=actor,
        action="education_session.makeup",
        obj=session,
        changes={"person": attendance.person.name, "date": date, "note": note[:300]},
    )
    return attendance


@transaction.atomic
def branch_secretary_set(*, actor: Any, branch: Branch, person: Person | None) -> BranchSecretary:
    """Name a branch's 支部书记 (a party member of the branch)."""
    access.require(actor, MANAGE, branch.unit)
    if person is None or person.branch_id != branch.pk or not person.is_party_member:
        raise UserError("支部书记须为本支部的党员", field="person")
    row = BranchSecretary.objects.filter(branch=branch).first()
    before = row.person.name if row else ""
    if row is None:
        row = BranchSecretary.objects.create(branch=branch, person=person)
    else:
        row.person, row.updated_at = person, timezone.now()
        row.save(update_fields=["person", "updated_at"])
    audit.record(
        actor=actor,
        action="education_branch.secretary",
        obj=branch,
        changes={"secretary": {"from": before, "to": person.name}},
    )
    return row


@dataclass
class MaterialData:
    kind: str = ""
    title: str = ""
    case_category: str = ""
    tags: str = ""
    source: str = ""
    content: str = ""


@transaction.atomic
def session_attach(*, actor: Any, session: StudySession, upload: Any) -> Any:
    """A photo or a document of the session (签到表, 会议照片): checked before it is stored."""
    if not can_record(actor, session.unit, session.branch):
        raise PermissionDenied(RECORD)
    return attachment_create(actor=actor, owner=session, unit=session.unit, upload=upload)


@transaction.atomic
def material_create(*, actor: Any, unit: Unit, data: MaterialData, upload: Any = None) -> Material:
    """Add an item to the library, with its optional file (checked first: a refused file adds nothing)."""
    access.require(actor, MANAGE, unit)
    problems = []
    if data.kind not in Material.Kind.values:
        problems.append("请选择资料类别")
    if not data.title.strip():
        problems.append("请填写标题")
    if not data.content.strip():
        problems.append("请填写内容摘要")
    if data.case_category and data.case_category not in Material.CaseCategory.values:
        problems.append("案例类别无效")
    if data.kind == Material.Kind.NEGATIVE and not data.case_category:
        problems.append("警示案例须选择案例类别")
    if data.kind != Material.Kind.NEGATIVE and data.case_category:
        problems.append("只有反面教材（警示案例）填写案例类别")
    if upload is not None:
        try:
            check_upload(upload)
        except UserError as exc:
            problems.append(exc.message)
    if problems:
        raise UserError("；".join(problems), errors=problems)
    tags = ",".join(t for t in (x.strip() for x in data.tags.replace("，", ",").split(",")) if t)[:200]
    material = Material.objects.create(
        unit=unit,
        kind=data.kind,
        title=data.title.strip()[:200],
        case_category=data.case_category,
        tags=tags,
        source=data.source.strip()[:200],
        content=data.content.strip(),
        created_by=actor,
    )
    if upload is not None:
        attachment_create(actor=actor, owner=material, unit=unit, upload=upload)
    audit.record(
        actor=actor,
        action="education_material.create",
        obj=material,
        changes={"kind": data.kind, "title": material.title, "tags": tags},
    )
    return material
