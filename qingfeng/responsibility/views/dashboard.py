"""两个责任看板 (one unit's lists, talks, risks and 四种形态 at a glance; one row per unit for a scope of several)
and a 班子成员's 以身作则 page. Who sees what: selectors_dashboard's docstring."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.responsibility import selectors_dashboard as selectors
from qingfeng.responsibility.views.lists import year_of

ROWS_PER_PAGE = 50  # a city's 300 units: six pages


@require_GET
@never_cache  # the 四种形态 figures are confidential (SECURITY.md D3)
@perm_required("responsibility.dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    year = year_of(request)
    units = selectors.dashboard_units(request.user)
    several = units.count() > 1
    unit = None
    if request.GET.get("unit"):
        unit = selectors.dashboard_unit_for(request.user, request.GET["unit"])  # 404 outside the scope
    elif not several:
        unit = units.first()
    if unit is None:
        overview = selectors.scope_overview(request.user, year=year)
        page = paginate(request, overview.rows, per_page=ROWS_PER_PAGE)
        context = {"overview": overview, "year": year, "years": _years(year), **page}
        return render(request, "responsibility/dashboard.html", context)
    data = selectors.unit_dashboard(request.user, unit, year=year)
    person = getattr(request.user, "person", None)
    context = {
        "d": data,
        "year": year,
        "several": several,
        # the compliance page shows the viewer's own unit (those who record talks)
        "compliance_link": access.can(request.user, "responsibility.talk", unit)
        and person is not None
        and person.unit_id == unit.pk,
        "example_link": access.can(request.user, "responsibility.example", unit),
        "forms_chart": _forms_chart(data.ledger),
    }
    return render(request, "responsibility/dashboard.html", context)


def _years(year: int) -> list[int]:
    current = selectors.this_year()
    return sorted({*range(current - 4, current + 2), year}, reverse=True)


def _forms_chart(forms: list | None) -> dict | None:
    if not forms or not sum(f.count for f in forms):
        return None
    shown = [f for f in forms if f.count]  # a form at zero only crowds the pie's labels (the table lists it)
    return {"labels": [f.label for f in shown], "counts": [f.count for f in shown]}


@require_GET
@perm_required("responsibility.example")
def example(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_example_person(request.user, pk)  # 404 outside the scope
    data = selectors.example(request.user, person, year=year_of(request))
    own = getattr(request.user, "person", None)
    context = {
        "e": data,
        "is_self": own is not None and own.pk == person.pk,
        "dashboard_link": access.can(request.user, "responsibility.dashboard", person.unit),
    }
    return render(request, "responsibility/example.html", context)


@require_GET
@perm_required("responsibility.example")
def example_mine(request: HttpRequest) -> HttpResponse:
    """以身作则 in the navigation: a 班子成员's own page; anyone else with the code (the superior) goes to the
    dashboard, where each 班子成员's page is linked."""
    own = getattr(request.user, "person", None)
    if own is not None and selectors.example_people(request.user).filter(pk=own.pk).exists():
        return redirect("responsibility:example", pk=own.pk)
    return redirect("responsibility:dashboard")
