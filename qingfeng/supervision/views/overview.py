"""单位总览: the headline figures of the user's scope and one row per unit (or per department within one unit),
each figure from selectors_overview's few aggregate queries; ?unit= drills down into a unit of the scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.supervision import selectors, selectors_overview

ROWS_PER_PAGE = 50  # a city's 300 units: six pages, the most overdue first


@require_GET
@perm_required("supervision.view")
def overview(request: HttpRequest) -> HttpResponse:
    drilled = None
    if request.GET.get("unit"):
        drilled = selectors_overview.overview_unit_for(request.user, request.GET["unit"])  # 404 outside the scope
    data = selectors_overview.overview(request.user, unit=drilled)
    page = paginate(request, data.rows, per_page=ROWS_PER_PAGE) if data.by_unit else {}
    parent = None
    if drilled is not None and drilled.parent_id is not None:
        candidate = drilled.parent
        if access.can(request.user, selectors.VIEW_PERM, candidate):
            parent = candidate
    return render(
        request,
        "supervision/overview.html",
        {
            "o": data,
            "rows": page["page_obj"].object_list if page else data.rows,
            "drilled": drilled,
            "parent": parent,
            "overdue_query": _overdue_query(drilled, data),
            **page,
        },
    )


def _overdue_query(drilled: Any, data: selectors_overview.Overview) -> str:
    """The task list's query string listing exactly the headline's 逾期 tasks, or "" when it has no such filter:
    the whole scope needs none; one drilled-down unit needs the unit filter; a drilled-down subtree has none."""
    if drilled is None:
        return "status=overdue"
    if not data.by_unit and data.unit is not None:
        return f"unit={data.unit.pk}&status=overdue"
    return ""
