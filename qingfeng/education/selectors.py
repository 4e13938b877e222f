"""Reads of the education app, each starting from the user's visibility (org/access.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from qingfeng.education.models import Attendance, Material, StudySession
from qingfeng.org import access
from qingfeng.org.models import Person, Unit
from qingfeng.org.roles import BUSINESS_ROLES, Role

WHOLE_UNIT = {Role.SECRETARY, Role.INSPECTOR, Role.CLERK, Role.SUPERIOR}


@dataclass
class SessionFilters:
    kind: str = ""
    branch: int | None = None
    year: int | None = None
    q: str = ""


def sessions(user: Any, filters: SessionFilters | None = None) -> QuerySet[StudySession]:
    f = filters or SessionFilters()
    qs = StudySession.objects.filter(access.visible_q(user, StudySession))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.branch:
        qs = qs.filter(branch_id=f.branch)
    if f.year:
        qs = qs.filter(date__year=f.year)
    if f.q:
        qs = qs.filter(Q(topic__icontains=f.q) | Q(content__icontains=f.q))
    return qs.select_related("unit", "branch", "host").annotate(
        present_count=Count("attendances", filter=Q(attendances__present=True), distinct=True)
    )


def get_session(user: Any, pk: Any) -> StudySession:
    return access.get_object_for_user(
        user,
        StudySession,
        pk,
        queryset=StudySession.objects.select_related("unit", "branch", "host", "recorder", "speaker", "recorded_by"),
    )


def _readers_q(user: Any, field: str = "unit") -> Q:
    """Everyone of a unit (every business role) and the superior over the units below: the library is the unit's."""
    if access.roles(user) & access.ADMIN_ROLES and not access.roles(user) & BUSINESS_ROLES:
        return access.NOTHING
    return access.units_q(user, roles_=BUSINESS_ROLES, field=field)


def materials(user: Any, *, kind: str = "", q: str = "", tag: str = "") -> QuerySet[Material]:
    qs = Material.objects.filter(_readers_q(user))
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(content__icontains=q))
    if tag:
        qs = qs.filter(tags__icontains=tag)
    return qs.select_related("unit").annotate(used=Count("sessions", distinct=True))


def get_material(user: Any, pk: Any) -> Material:
    try:
        return Material.objects.filter(_readers_q(user)).select_related("unit").get(pk=pk)
    except (Material.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("对象不存在") from exc


def compliance_units(user: Any) -> list[Unit]:
    """The units whose compliance the user sees: the whole-unit roles' and the superior's units (at most 200)."""
    q = access.units_q(user, roles_=WHOLE_UNIT)
    if q == access.NOTHING:
        return []
    return list(Unit.objects.filter(q, kind=Unit.Kind.BUREAU).order_by("path")[:200]) or list(
        Unit.objects.filter(q).order_by("path")[:200]
    )


def get_person(user: Any, pk: Any) -> Person:
    """A person whose study record the user may open: their own; anyone of the units of the whole-unit roles."""
    own = getattr(user, "person", None)
    if own is not None and str(own.pk) == str(pk) and access.roles(user) & BUSINESS_ROLES:
        return own
    try:
        return Person.objects.filter(access.units_q(user, roles_=WHOLE_UNIT, field="unit")).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("对象不存在") from exc


@dataclass
class StudyRecord:
    person: Person
    year: int
    attendances: list[Attendance]
    hours: Decimal
    materials: list[Material]


def study_record(person: Person, year: int) -> StudyRecord:
    """The year's sessions of a person (present, or absent with their 补学), the hours (a session's hours count when
    present or made up) and the materials studied."""
    rows = list(
        Attendance.objects.filter(person=person, session__date__year=year, session__deleted_at__isnull=True)
        .select_related("session", "session__branch")
        .order_by("session__date", "session_id")
    )
    hours = sum((a.session.hours for a in rows if a.present or a.makeup_date), Decimal("0"))
    studied = [a.session_id for a in rows if a.present or a.makeup_date]
    mats = list(Material.objects.filter(sessions__in=studied).distinct().order_by("kind", "title"))
    return StudyRecord(person, year, rows, hours, mats)


def year_of(value: str) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def ledger_rows(user: Any, year: int) -> list[list[Any]]:
    """学习台账: one row per visible session of the year."""
    qs = (
        sessions(user, SessionFilters(year=year))
        .select_related("recorder", "speaker")
        .prefetch_related("materials")
        .order_by("date", "id")
    )
    out: list[list[Any]] = []
    for i, s in enumerate(qs, 1):
        absent = s.expected - s.present_count
        out.append(
            [
                i,
                s.date,
                s.kind_display,
                s.branch.name if s.branch else s.unit.name,
                s.topic,
                s.place,
                s.host.name,
                s.speaker.name if s.speaker else "",
                s.expected,
                s.present_count,
                absent,
                float(s.hours),
                "、".join(m.title for m in s.materials.all()),
            ]
        )
    return out
