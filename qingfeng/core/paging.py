from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

PER_PAGE = 20
COUNT_CAP = 10_000  # rows counted at most: beyond it the page says "more than" and asks for a filter


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows (a COUNT over a LIMIT subquery): a city's unfiltered task list is a million
    rows, and counting them all took longer than the page itself. `capped` says the count stopped there."""

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap_text(self) -> str:
        return f"{COUNT_CAP:,}"


def paginate(request: HttpRequest, qs: QuerySet | list, per_page: int = PER_PAGE) -> dict[str, Any]:
    """The page of `qs` the request asks for, and the query string to keep the filters across pages."""
    page_obj = CappedPaginator(qs, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    querystring = params.urlencode()
    return {"page_obj": page_obj, "querystring": f"{querystring}&" if querystring else ""}
