"""Roles and 三员分立 (SECURITY.md C4): only the 安全管理员 grants roles; one account holds at most one 三员 role and
then no business role; the 三员 see no business records."""

from __future__ import annotations

import pytest

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent
from qingfeng.org import access
from qingfeng.org.models import RoleAssignment, User
from qingfeng.org.roles import Role
from qingfeng.org.services import accounts, roles


def _fresh(cast, username: str, *, person: bool = False) -> User:  # type: ignore[no-untyped-def]
    from qingfeng.org.models import Person

    who = Person.objects.filter(unit=cast.bureau, account__isnull=True, status="active").first() if person else None
    user, _ = accounts.account_create(actor=cast.users["sysadmin"], username=username, unit=cast.bureau, person=who)
    return user


def test_the_secadmin_grants_and_revokes_a_role_with_audit_events(cast) -> None:
    secadmin = cast.users["secadmin"]
    user = _fresh(cast, "newclerk", person=True)
    grant = roles.role_grant(actor=secadmin, user=user, role=Role.CLERK, unit=cast.bureau)
    assert access.roles(User.objects.get(pk=user.pk)) == {"clerk"}
    roles.role_revoke(actor=secadmin, grant=grant)
    assert access.roles(User.objects.get(pk=user.pk)) == set()
    actions = list(AuditEvent.objects.filter(object_type="org.roleassignment").values_list("action", flat=True)[:2])
    assert actions == ["role.revoke", "role.grant"]


@pytest.mark.parametrize("admin_role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_no_account_holds_two_admin_roles_or_an_admin_and_a_business_role(cast, admin_role) -> None:
    secadmin = cast.users["secadmin"]
    user = _fresh(cast, f"x-{admin_role}", person=True)
    roles.role_grant(actor=secadmin, user=user, role=admin_role, unit=cast.bureau)
    for other in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.CLERK):
        if other == admin_role:
            continue
        with pytest.raises(UserError, match="三员分立"):
            roles.role_grant(actor=secadmin, user=user, role=other, unit=cast.bureau)


def test_a_business_account_cannot_become_a_sanyuan(cast) -> None:
    with pytest.raises(UserError, match="三员分立"):
        roles.role_grant(actor=cast.users["secadmin"], user=cast.users["head"], role=Role.AUDITOR, unit=cast.bureau)


@pytest.mark.parametrize("role", ["sysadmin", "auditor", "secretary", "clerk"])
def test_only_the_secadmin_grants_roles(cast, role) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        roles.role_grant(actor=cast.users[role], user=cast.users["staff"], role=Role.CLERK, unit=cast.bureau)


def test_the_secadmin_cannot_grant_itself_anything(cast) -> None:
    with pytest.raises(UserError, match="自己"):
        roles.role_grant(
            actor=cast.users["secadmin"], user=cast.users["secadmin"], role=Role.SECADMIN, unit=cast.bureau
        )


def test_the_grant_page_shows_the_reason_next_to_the_form(cast, login) -> None:
    client = login("secadmin")
    response = client.post("/org/roles/", {"user": cast.users["head"].pk, "role": "auditor", "unit": cast.bureau.pk})
    assert response.status_code == 200
    assert "三员分立" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=cast.users["head"], role="auditor").exists()
    response = client.post("/org/roles/", {"user": cast.users["head"].pk, "role": "superior", "unit": cast.bureau.pk})
    assert "须选择类别" in response.content.decode()


def test_the_sanyuan_see_no_people_and_the_auditor_sees_no_units(cast) -> None:
    from qingfeng.org.models import Person, Unit

    for role in ("secadmin", "auditor"):
        assert not Person.objects.filter(access.visible_q(cast.users[role], Person)).exists()
    assert not Unit.objects.filter(access.visible_q(cast.users["auditor"], Unit)).exists()


def test_sysadmin_sees_its_bureau_but_not_the_far_county(cast) -> None:
    from qingfeng.org.models import Person

    seen = Person.objects.filter(access.visible_q(cast.users["sysadmin"], Person))
    assert seen.filter(unit=cast.bureau).exists()
    assert not seen.filter(unit=cast.far_bureau).exists()


def test_the_superior_sees_every_unit_below_the_county(cast) -> None:
    from qingfeng.org.models import Unit

    seen = set(Unit.objects.filter(access.visible_q(cast.users["superior"], Unit)).values_list("pk", flat=True))
    assert {cast.county.pk, cast.bureau.pk, cast.sibling.pk} <= seen
    assert cast.far_bureau.pk not in seen


def test_the_sysadmin_grants_no_roles_and_reads_no_audit_log(login) -> None:
    client = login("sysadmin")
    assert client.get("/org/roles/").status_code == 403
    assert client.get("/audit/").status_code == 403
    assert login("auditor").get("/org/people/").status_code == 403
    assert login("secadmin").get("/org/people/").status_code == 403
