"""Role grants, by the 安全管理员 only, with 三员分立: one account holds at most one of the three admin roles and
then no business role."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import RoleAssignment, Unit, User
from qingfeng.org.roles import ADMIN_ROLES, Role, SuperiorKind


def _active(user: User) -> set[str]:
    return set(RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True))


def check_separation(user: User, role: str) -> None:
    held = _active(user)
    if role in ADMIN_ROLES and (held - {role}):
        names = "、".join(Role(r).label for r in sorted(held))
        raise UserError(f"三员分立：{user}已担任{names}，不能再授予{Role(role).label}")
    if role not in ADMIN_ROLES and held & ADMIN_ROLES:
        names = "、".join(Role(r).label for r in sorted(held & ADMIN_ROLES))
        raise UserError(f"三员分立：{user}是{names}，不能担任业务角色")


@transaction.atomic
def role_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    unit: Unit,
    include_subunits: bool = False,
    superior_kind: str = "",
    system: bool = False,
) -> RoleAssignment:
    """Grant `role` on `unit`. `system=True` is for the bootstrap and demo commands only (no acting user)."""
    if not system:
        access.require(actor, "roles.manage", unit)
        if user.pk == actor.pk:
            raise UserError("不能给自己授予或撤销角色")
    if role not in Role.values:
        raise UserError("未知角色", field="role")
    if not user.is_active:
        raise UserError("账号已停用，不能授予角色")
    if role == Role.SUPERIOR and superior_kind not in SuperiorKind.values:
        raise UserError("上级角色须选择类别（纪委或组织部）", field="superior_kind")
    if role != Role.SUPERIOR:
        superior_kind = ""
    if role in (Role.HEAD, Role.STAFF, Role.LEADER, Role.SECRETARY, Role.INSPECTOR, Role.CLERK) and user.person is None:
        raise UserError("业务角色须授予关联了人员的账号", field="user")
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise grants to one account
    check_separation(user, role)
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit, revoked_at__isnull=True).exists():
        raise UserError("该账号在该单位已有此角色")
    grant = RoleAssignment.objects.create(
        user=user,
        role=role,
        unit=unit,
        include_subunits=include_subunits,
        superior_kind=superior_kind,
        granted_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action="role.grant",
        obj=grant,
        changes={"user": user.username, "role": role, "unit": unit.name, "include_subunits": include_subunits},
    )
    access.forget(user)
    return grant


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleAssignment) -> RoleAssignment:
    access.require(actor, "roles.manage", grant.unit)
    if grant.revoked_at is not None:
        raise UserError("该角色已撤销")
    if grant.user_id == actor.pk:
        raise UserError("不能给自己授予或撤销角色")
    grant.revoked_at, grant.revoked_by = timezone.now(), actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action="role.revoke",
        obj=grant,
        changes={"user": grant.user.username, "role": grant.role, "unit": grant.unit.name},
    )
    return grant


@transaction.atomic
def role_revoke_system(*, grant: RoleAssignment) -> RoleAssignment:
    """Revoke without an acting user: the bootstrap and demo commands only."""
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit.record(
        actor=None,
        action="role.revoke",
        obj=grant,
        changes={"user": grant.user.username, "role": grant.role, "unit": grant.unit.name},
    )
    access.forget(grant.user)
    return grant
