"""Role codes of DESIGN.md and what each may do. The codes are the identifiers everywhere: the permission
matrix, the demo accounts, the API."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    SECRETARY = "secretary", "党组书记"
    LEADER = "leader", "班子成员"
    INSPECTOR = "inspector", "纪检组长"
    CLERK = "clerk", "督查专员"
    HEAD = "head", "科室负责人"
    STAFF = "staff", "干部职工"
    SUPERIOR = "superior", "上级（只读）"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "安全审计员"


class SuperiorKind(models.TextChoices):
    JIWEI = "jiwei", "纪委"
    ZUZHIBU = "zuzhibu", "组织部"


# 三员 (等保): mutually exclusive, none holds a business role, none sees business records.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)

# Permission codes per role. Each later module adds its own codes here.
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SECRETARY: frozenset({"workbench.view"}),
    Role.LEADER: frozenset({"workbench.view"}),
    Role.INSPECTOR: frozenset({"workbench.view"}),
    Role.CLERK: frozenset({"workbench.view"}),
    Role.HEAD: frozenset({"workbench.view"}),
    Role.STAFF: frozenset({"workbench.view"}),
    Role.SUPERIOR: frozenset({"workbench.view"}),
    Role.SYSADMIN: frozenset({"workbench.view", "org.manage", "calendar.manage"}),
    Role.SECADMIN: frozenset({"workbench.view", "roles.manage", "security.view"}),
    Role.AUDITOR: frozenset({"workbench.view", "audit.view", "audit.export", "audit.verify"}),
}
