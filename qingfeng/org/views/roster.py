"""Roster import (花名册导入). Filled in by the roster work."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from qingfeng.org.access import perm_required


@perm_required("org.manage")
def roster_import(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


@perm_required("org.manage")
def roster_template(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
