"""Role grants and the security policy (安全管理员)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.org import access, selectors
from qingfeng.org.access import perm_required
from qingfeng.org.forms import RoleGrantForm
from qingfeng.org.models import RoleAssignment
from qingfeng.org.roles import Role
from qingfeng.org.services import roles


@require_http_methods(["GET", "POST"])
@perm_required("roles.manage")
def grant_list(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role", "")
    q = request.GET.get("q", "").strip()
    qs = selectors.grants_for(request.user, role=role if role in Role.values else "", q=q)
    form = RoleGrantForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = roles.role_grant(
                actor=request.user,
                user=data["user"],
                role=data["role"],
                unit=data["unit"],
                include_subunits=data["include_subunits"],
                superior_kind=data["superior_kind"],
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"已授予：{grant}")
            return redirect("org:grant_list")
    return render(
        request,
        "org/grant_list.html",
        {
            "form": form,
            "roles": Role.choices,
            "role": role,
            "q": q,
            **paginate(request, qs, per_page=50),
        },
    )


@perm_required("roles.manage")
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = access.get_object_for_user(
        request.user, RoleAssignment, pk, write=True, queryset=RoleAssignment.objects.select_related("user", "unit")
    )
    try:
        roles.role_revoke(actor=request.user, grant=grant)
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销：{grant}")
    return redirect("org:grant_list")


@require_GET
@perm_required("security.view")
def security_policy(request: HttpRequest) -> HttpResponse:
    policy = [
        ("密码最短长度", "8 位"),
        ("密码字符类别", "大写字母、小写字母、数字、特殊符号中至少 3 类，不得包含用户名，不得为常见弱口令"),
        ("密码有效期", f"{settings.PASSWORD_MAX_AGE_DAYS} 天（到期须修改）"),
        (
            "登录失败锁定",
            f"连续失败 {settings.AXES_FAILURE_LIMIT} 次锁定 "
            f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟（锁定期间输入正确密码也不能登录）",
        ),
        ("会话空闲超时", f"{settings.SESSION_IDLE_MINUTES} 分钟"),
        ("会话绝对时限", f"{settings.SESSION_ABSOLUTE_HOURS} 小时"),
        ("首次登录", "使用初始密码登录后必须修改密码"),
        ("附件上限", f"{settings.UPLOAD_MAX_MB} MB，按文件内容识别类型"),
        ("审计日志", "只追加，HMAC-SM3 链式校验"),
    ]
    return render(request, "org/security_policy.html", {"policy": policy})
