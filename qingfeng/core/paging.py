from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 20


def paginate(request: HttpRequest, qs: QuerySet | list, per_page: int = PER_PAGE) -> dict[str, Any]:
    """The page of `qs` the request asks for, and the query string to keep the filters across pages."""
    page_obj = Paginator(qs, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    querystring = params.urlencode()
    return {"page_obj": page_obj, "querystring": f"{querystring}&" if querystring else ""}
