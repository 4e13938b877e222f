"""责任清单 pages: the lists of a year with their completion, one list with its items and 落实情况, writing a draft,
copying last year's lists, publishing, and the .xlsx import and export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.actions import first_error, run_action
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.exports import xlsx_response
from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.models import Unit
from qingfeng.responsibility import selectors
from qingfeng.responsibility.forms import CopyForm, ItemForm, ListForm, UploadForm
from qingfeng.responsibility.models import ResponsibilityList
from qingfeng.responsibility.services import lists as services
from qingfeng.responsibility.services import xlsx

VIEW = "responsibility.view"
WRITE = ("responsibility.manage", "responsibility.inspect")


def any_perm_required(*perms: str):  # type: ignore[no-untyped-def]
    """Log-in required, then one of `perms` on some unit, else the audited 403 page (checked before the object is
    looked up, so a role that may never write gets 403 in and out of scope alike)."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    def decorator(view):  # type: ignore[no-untyped-def]
        @wraps(view)
        def wrapped(request, *args, **kwargs):  # type: ignore[no-untyped-def]
            if not any(access.can(request.user, p) for p in perms):
                raise PermissionDenied(perms[0])
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def writer_unit(user: object, *perms: str) -> Unit | None:
    """The first unit on which the user holds one of `perms`."""
    return access.unit_with(user, *perms)


def year_of(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_GET
@perm_required(VIEW)
def list_index(request: HttpRequest) -> HttpResponse:
    year = year_of(request)
    kind = request.GET.get("kind", "")
    qs = selectors.visible_lists(request.user).filter(year=year).order_by("unit__path", "kind", "leader__order", "id")
    if kind in ResponsibilityList.Kind.values:
        qs = qs.filter(kind=kind)
    page = paginate(request, qs)
    page["page_obj"].object_list = selectors.list_figures(list(page["page_obj"].object_list))
    unit = writer_unit(request.user, "responsibility.manage", "responsibility.inspect")
    context = {
        **page,
        "year": year,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
        "kind": kind,
        "kinds": ResponsibilityList.Kind.choices,
        "unit": unit,
        "can_copy": unit is not None and access.can(request.user, "responsibility.manage", unit),
        "list_form": _list_form(request, unit, year),
        "copy_form": CopyForm(initial={"year": year}),
    }
    return render(request, "responsibility/list_index.html", context)


def _list_form(request: HttpRequest, unit: Unit | None, year: int) -> ListForm | None:
    """The new-list form; the 纪检组长 (inspect only) is offered the 纪检监督责任清单 alone."""
    if unit is None:
        return None
    form = ListForm(unit=unit, initial={"year": year})
    if not access.can(request.user, "responsibility.manage", unit):
        form.fields["kind"].choices = [(ResponsibilityList.Kind.SUPERVISION, ResponsibilityList.Kind.SUPERVISION.label)]
        del form.fields["leader"]
    return form


@require_POST
@any_perm_required(*WRITE)
def list_new(request: HttpRequest) -> HttpResponse:
    unit = writer_unit(request.user, "responsibility.manage", "responsibility.inspect")
    if unit is None:
        raise PermissionDenied("responsibility.manage")
    form = ListForm(request.POST, unit=unit)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("responsibility:list_index")
    created: list[ResponsibilityList] = []
    ok = run_action(
        request,
        lambda: created.append(services.list_create(actor=request.user, unit=unit, **form.cleaned_data)),
        "责任清单已建立（草稿），请录入或导入事项",
    )
    if ok:
        return redirect("responsibility:list_detail", pk=created[0].pk)
    return redirect(reverse("responsibility:list_index") + f"?year={form.cleaned_data['year']}")


@require_POST
@perm_required("responsibility.manage")
def lists_copy(request: HttpRequest) -> HttpResponse:
    unit = writer_unit(request.user, "responsibility.manage")
    form = CopyForm(request.POST)
    if not form.is_valid() or unit is None:
        messages.error(request, first_error(form))
        return redirect("responsibility:list_index")
    year = form.cleaned_data["year"]
    try:
        result = services.lists_copy_year(actor=request.user, unit=unit, year=year)
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已复制{year - 1}年度清单 {len(result.lists)} 份（草稿），请修改后发布")
        for note in result.skipped:
            messages.warning(request, note)
    return redirect(reverse("responsibility:list_index") + f"?year={year}")


@require_GET
@perm_required(VIEW)
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rlist = selectors.get_list(request.user, pk)
    items = selectors.list_items(rlist)
    writable = services.can_write(request.user, rlist)
    context = {
        "rlist": rlist,
        "items": items,
        "writable": writable,
        "draft": rlist.status == ResponsibilityList.Status.DRAFT,
        "item_form": ItemForm(unit=rlist.unit) if writable else None,
        "figures": selectors.figures_of(items),
    }
    return render(request, "responsibility/list_detail.html", context)


@require_POST
@any_perm_required(*WRITE)
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    rlist = selectors.get_list(request.user, pk)
    services.require_write(request.user, rlist)
    form = ItemForm(request.POST, unit=rlist.unit)
    back = reverse("responsibility:list_detail", args=[rlist.pk]) + "#items"
    if not form.is_valid():
        messages.error(request, f"事项未添加——{first_error(form)}")
        return redirect(back)
    run_action(request, lambda: services.item_add(actor=request.user, rlist=rlist, data=form.item_data()), "事项已添加")
    return redirect(back)


@require_http_methods(["GET", "POST"])
@any_perm_required(*WRITE)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item(request.user, pk)
    services.require_write(request.user, item.rlist)
    initial = {
        f: getattr(item, f)
        for f in ("content", "measures", "owner_person", "owner_department", "responsible_person", "deadline")
    }
    initial["frequency"] = item.frequency
    form = ItemForm(request.POST or None, unit=item.rlist.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=item, data=form.item_data())
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"第{item.seq}项已修改")
            return redirect(reverse("responsibility:list_detail", args=[item.rlist_id]) + "#items")
    return render(request, "responsibility/item_form.html", {"form": form, "item": item})


@require_POST
@any_perm_required(*WRITE)
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item(request.user, pk)
    services.require_write(request.user, item.rlist)
    run_action(request, lambda: services.item_remove(actor=request.user, item=item), f"第{item.seq}项已删除")
    return redirect(reverse("responsibility:list_detail", args=[item.rlist_id]) + "#items")


@require_POST
@any_perm_required(*WRITE)
def list_publish(request: HttpRequest, pk: int) -> HttpResponse:
    rlist = selectors.get_list(request.user, pk)
    services.require_write(request.user, rlist)
    try:
        count = services.list_publish(actor=request.user, rlist=rlist)
    except UserError as exc:
        for problem in exc.errors or [exc.message]:
            messages.error(request, problem)
    else:
        messages.success(request, f"清单已发布，{count} 项已作为督办事项交办，责任科室须当日签收")
    return redirect("responsibility:list_detail", pk=rlist.pk)


@require_http_methods(["GET", "POST"])
@any_perm_required(*WRITE)
def list_import(request: HttpRequest, pk: int) -> HttpResponse:
    rlist = selectors.get_list(request.user, pk)
    services.require_write(request.user, rlist)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                count = xlsx.list_import(actor=request.user, rlist=rlist, upload=form.cleaned_data["file"])
            except UserError as exc:
                problems = exc.errors or [exc.message]
            else:
                messages.success(request, f"导入成功：{count} 项")
                return redirect("responsibility:list_detail", pk=rlist.pk)
        else:
            problems = ["请选择要导入的责任清单文件（.xlsx）"]
    context = {"rlist": rlist, "form": form, "problems": problems, "header": xlsx.HEADER}
    return render(request, "responsibility/list_import.html", context)


@require_GET
@perm_required(VIEW)
def list_export(request: HttpRequest, pk: int) -> HttpResponse:
    rlist = selectors.get_list(request.user, pk)
    items = selectors.list_items(rlist)
    return xlsx_response(rlist.title, xlsx.HEADER, xlsx.export_rows(items), filename=f"{rlist.title}.xlsx")
