"""What the 意识形态 pages read. Every query starts from access.visible_q; the dashboard's figures are grouped
queries over the user's visible rows, a fixed number whatever their count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from qingfeng.ideology.models import Meeting, Position, Proof, Publication, Review
from qingfeng.ideology.services import meetings as meeting_services
from qingfeng.org import access
from qingfeng.org.models import Unit
from qingfeng.org.roles import PERMISSIONS, Role


def _roles_with(perm: str) -> set[str]:
    return {role for role, codes in PERMISSIONS.items() if perm in codes}


# --- positions ----------------------------------------------------------------------------------------------


@dataclass
class PositionFilters:
    kind: str = ""
    status: str = ""
    department: int | None = None
    q: str = ""


def positions(user: Any, filters: PositionFilters | None = None) -> QuerySet[Position]:
    f = filters or PositionFilters()
    qs = Position.objects.filter(access.visible_q(user, Position))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.q:
        qs = qs.filter(Q(name__contains=f.q) | Q(address__contains=f.q))
    return qs.select_related("unit", "department", "responsible_person", "reviewer")


def position_publications(position: Position) -> QuerySet[Publication]:
    """The 审核台账 of a position: everything published on it, with the approvals and 校 of the round that was
    published (three queries)."""
    return (
        Publication.objects.filter(position=position, status=Publication.Status.PUBLISHED)
        .select_related("author", "published_by")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer").order_by("round", "level", "id")),
            Prefetch("proofs", queryset=Proof.objects.select_related("proofreader").order_by("round", "kind")),
        )
        .order_by("-published_at", "-id")
    )


def approvals(publication: Publication) -> dict[int, Review]:
    """Level → the approving review of the publication's current round (from the prefetched reviews)."""
    return {
        r.level: r
        for r in publication.reviews.all()
        if r.round == publication.round and r.decision == Review.Decision.APPROVE
    }


def round_proofs(publication: Publication) -> dict[str, Proof]:
    """Kind → the 校 of the publication's current round, in the order 文字, 政治, 事实."""
    done = {p.kind: p for p in publication.proofs.all() if p.round == publication.round}
    return {kind: done[kind] for kind in Proof.Kind.values if kind in done}


# --- publications -------------------------------------------------------------------------------------------


@dataclass
class PublicationFilters:
    status: str = ""
    position: int | None = None
    q: str = ""


def publications(user: Any, filters: PublicationFilters | None = None) -> QuerySet[Publication]:
    f = filters or PublicationFilters()
    qs = Publication.objects.filter(access.visible_q(user, Publication))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.position:
        qs = qs.filter(position_id=f.position)
    if f.q:
        qs = qs.filter(title__contains=f.q)
    return qs.select_related("position", "position__department", "author")


def publication_history(publication: Publication) -> tuple[list[Review], list[Proof]]:
    reviews = list(publication.reviews.select_related("reviewer").order_by("round", "reviewed_at", "id"))
    proofs = list(publication.proofs.select_related("proofreader").order_by("round", "proofed_at", "id"))
    return reviews, proofs


# --- meetings -----------------------------------------------------------------------------------------------


def meetings(user: Any, *, kind: str = "", year: int | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.filter(access.visible_q(user, Meeting))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(date__year=year)
    return qs.select_related("unit", "host").annotate(people=Count("participants", distinct=True))


# --- dashboard ----------------------------------------------------------------------------------------------

PENDING = [Publication.Status.FIRST, Publication.Status.SECOND, Publication.Status.FINAL, Publication.Status.APPROVED]
MAX_UNITS = 200


@dataclass
class UnitCompliance:
    unit: Unit
    states: list[meeting_services.PeriodState]

    @property
    def missed(self) -> int:
        return sum(1 for s in self.states if s.state == "missed")


@dataclass
class Dashboard:
    year: int
    positions_by_status: list[tuple[str, str, int]]
    positions_total: int
    pending: list[tuple[str, str, int]]
    published_this_year: int
    units: list[UnitCompliance] = field(default_factory=list)
    units_capped: bool = False
    duty_lists: list[Any] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return sum(u.missed for u in self.units)


def dashboard_units(user: Any) -> QuerySet[Unit]:
    """The units whose 党组 meetings the user follows: those of their business grants, and the bureaus (and other
    units) under a superior's grant or one including sub-units (a county 纪委: each bureau below, not the county)."""
    roles = _roles_with("ideology.view")
    direct = [a.unit_id for a in access.assignments(user) if a.role in roles and a.role != Role.SUPERIOR]
    covered = access.units_q(user, roles_=roles)
    return Unit.objects.filter(covered).filter(Q(pk__in=direct) | Q(kind__in=[Unit.Kind.BUREAU, Unit.Kind.OTHER]))


def dashboard(user: Any, year: int, today: dt.date) -> Dashboard:
    """Positions by status, publications waiting at each level, the year's published count, each unit's required
    meetings and the year's 意识形态工作责任清单: seven queries."""
    by_status = dict(
        positions(user).order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    pubs = Publication.objects.filter(access.visible_q(user, Publication))
    waiting = dict(
        pubs.filter(status__in=PENDING)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    published = pubs.filter(status=Publication.Status.PUBLISHED, published_at__year=year).count()
    units = list(dashboard_units(user).order_by("path")[: MAX_UNITS + 1])
    capped = len(units) > MAX_UNITS
    units = units[:MAX_UNITS]
    states = meeting_services.compliance([u.pk for u in units], year, today)
    return Dashboard(
        year=year,
        positions_by_status=[(v, str(label), by_status.get(v, 0)) for v, label in Position.Status.choices],
        positions_total=sum(by_status.values()),
        pending=[(s.value, str(s.label), waiting.get(s.value, 0)) for s in PENDING],
        published_this_year=published,
        units=[UnitCompliance(u, states[u.pk]) for u in units],
        units_capped=capped,
        duty_lists=_duty_lists(user, year),
    )


def _duty_lists(user: Any, year: int) -> list[Any]:
    """The year's 意识形态工作责任清单 the user sees (kept by the responsibility app)."""
    from qingfeng.responsibility import selectors as duties
    from qingfeng.responsibility.models import ResponsibilityList

    return list(
        duties.visible_lists(user).filter(year=year, kind=ResponsibilityList.Kind.IDEOLOGY).order_by("unit__path")
    )
