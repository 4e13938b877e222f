"""The demo bureau of the seed speech: a county bureau with its 党组, departments, branches, ~60 people and one
account per role code; a sibling bureau (with the `outsider`) in the same county and a bureau of another county
that no demo account can see. The test cast is the same world."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from qingfeng.org.models import Department, Person, Unit, User
from qingfeng.org.roles import Role, SuperiorKind
from qingfeng.org.services import accounts, people, roles, structure
from qingfeng.org.services.people import PersonData

DEMO_PASSWORD = "Qingfeng@2023"
BUREAU_CODE = "DEMO-QH-ZJJ"

DEPARTMENTS = ["办公室", "人事股", "财务股", "计划项目股", "建筑管理股", "城建股", "质量安全股", "法规股"]
BRANCHES = ["机关第一党支部", "机关第二党支部", "离退休党支部"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = [
    "建国",
    "红梅",
    "志强",
    "秀英",
    "海燕",
    "文斌",
    "丽娟",
    "国华",
    "晓东",
    "春生",
    "雪梅",
    "立新",
    "振华",
    "丹",
    "磊",
    "静",
    "伟",
    "敏",
    "涛",
    "婷",
    "军",
    "燕",
    "勇",
    "芳",
    "杰",
    "娜",
    "鹏",
    "霞",
    "斌",
    "莉",
]

ROLE_ACCOUNTS = [
    # username, role, display name, post, department index or None
    ("secretary", Role.SECRETARY, "王建国", "党组书记、局长", 0),
    ("leader", Role.LEADER, "李志强", "党组成员、副局长", 0),
    ("inspector", Role.INSPECTOR, "张秀英", "党组成员、纪检组长", 0),
    ("clerk", Role.CLERK, "刘海燕", "办公室督查专员", 0),
    ("head", Role.HEAD, "陈文斌", "财务股股长", 2),
    ("staff", Role.STAFF, "杨丽娟", "财务股科员", 2),
]


@dataclass
class Cast:
    city: Unit
    county: Unit
    bureau: Unit
    sibling: Unit
    far_county: Unit
    far_bureau: Unit
    users: dict[str, User] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)


def exists() -> bool:
    return Unit.all_objects.filter(code=BUREAU_CODE).exists()


def _person(actor: User, unit: Unit, no: str, name: str, **kwargs: Any) -> Person:
    return people.person_create(actor=actor, unit=unit, data=PersonData(employee_no=no, name=name, **kwargs))


def _account(
    actor: User | None, username: str, unit: Unit, person: Person | None, password: str, display: str = ""
) -> User:
    user, _ = accounts.account_create(
        actor=actor, username=username, unit=unit, person=person, display_name=display, system=True
    )
    user.set_password(password)
    user.is_demo = True
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "is_demo", "must_change_password"])
    return user


def _bureau(actor: User, unit: Unit, prefix: str, depts: list[str], size: int, offset: int) -> list[Person]:
    made = [structure.department_create(actor=actor, unit=unit, name=name, order=i) for i, name in enumerate(depts)]
    branches = [
        structure.branch_create(actor=actor, unit=unit, name=name, order=i) for i, name in enumerate(BRANCHES[:2])
    ]
    staff = []
    for i in range(size):
        name = SURNAMES[(i * 7 + offset) % len(SURNAMES)] + GIVEN[(i * 11 + offset) % len(GIVEN)]
        staff.append(
            _person(
                actor,
                unit,
                f"{prefix}{i + 1:03d}",
                name,
                post="科员",
                department=made[i % len(made)],
                branch=branches[i % 2],
                is_party_member=i % 3 != 2,
                order=100 + i,
            )
        )
    return staff


@transaction.atomic
def build(password: str = DEMO_PASSWORD, *, people_count: int = 54) -> Cast:
    """Create the demo world. Every write goes through the services, so the audit chain records it."""
    city = structure.unit_create_root(actor=None, name="清河市", code="DEMO-QH-CITY", kind=Unit.Kind.CITY)
    sysadmin = _account(None, "sysadmin", city, None, password, "系统管理员")
    roles.role_grant(actor=None, user=sysadmin, role=Role.SYSADMIN, unit=city, include_subunits=True, system=True)
    county = structure.unit_create(
        actor=sysadmin, name="清河县", code="DEMO-QH-COUNTY", kind=Unit.Kind.COUNTY, parent=city
    )
    bureau = structure.unit_create(
        actor=sysadmin, name="清河县住房和城乡建设局", code=BUREAU_CODE, kind=Unit.Kind.BUREAU, parent=county, order=1
    )
    sibling = structure.unit_create(
        actor=sysadmin, name="清河县交通运输局", code="DEMO-QH-JTJ", kind=Unit.Kind.BUREAU, parent=county, order=2
    )
    far_county = structure.unit_create(
        actor=sysadmin, name="南山县", code="DEMO-NS-COUNTY", kind=Unit.Kind.COUNTY, parent=city, order=2
    )
    far_bureau = structure.unit_create(
        actor=sysadmin, name="南山县住房和城乡建设局", code="DEMO-NS-ZJJ", kind=Unit.Kind.BUREAU, parent=far_county
    )
    # The demo's 三员 serve the bureau; the city-wide sysadmin above only set up the tree.
    sysadmin.unit = bureau
    sysadmin.save(update_fields=["unit"])
    cast = Cast(city, county, bureau, sibling, far_county, far_bureau)

    staff = _bureau(sysadmin, bureau, "QHZJ", DEPARTMENTS, people_count, 0)
    depts = {d.name: d for d in Department.objects.filter(unit=bureau)}
    cast.departments = depts
    dept_list = [depts[n] for n in DEPARTMENTS]
    # The 党组: secretary, four deputies each supervising two departments (分管), the inspector.
    leaders = [
        ("QHZJL01", "王建国", "党组书记、局长", [dept_list[0]]),
        ("QHZJL02", "李志强", "党组成员、副局长", [dept_list[2], dept_list[3]]),
        ("QHZJL03", "赵春生", "党组成员、副局长", [dept_list[4], dept_list[5]]),
        ("QHZJL04", "周立新", "党组成员、副局长", [dept_list[6], dept_list[7]]),
        ("QHZJL05", "吴振华", "党组成员、总工程师", [dept_list[1]]),
        ("QHZJL06", "张秀英", "党组成员、纪检组长", []),
    ]
    leader_people = {
        no: _person(
            sysadmin,
            bureau,
            no,
            name,
            post=post,
            department=dept_list[0],
            is_party_member=True,
            is_leadership=True,
            supervised_departments=sup,
            order=i,
        )
        for i, (no, name, post, sup) in enumerate(leaders)
    }
    clerk = _person(
        sysadmin,
        bureau,
        "QHZJ101",
        "刘海燕",
        post="办公室督查专员",
        department=dept_list[0],
        is_party_member=True,
        order=10,
    )
    head = _person(
        sysadmin,
        bureau,
        "QHZJ102",
        "陈文斌",
        post="财务股股长",
        department=dept_list[2],
        is_party_member=True,
        order=11,
    )
    member = _person(
        sysadmin,
        bureau,
        "QHZJ103",
        "杨丽娟",
        post="财务股科员",
        department=dept_list[2],
        is_party_member=True,
        order=12,
    )
    bound = {
        "secretary": leader_people["QHZJL01"],
        "leader": leader_people["QHZJL02"],
        "inspector": leader_people["QHZJL06"],
        "clerk": clerk,
        "head": head,
        "staff": member,
    }
    for username, role, _, _, _ in ROLE_ACCOUNTS:
        user = _account(None, username, bureau, bound[username], password)
        roles.role_grant(actor=None, user=user, role=role, unit=bureau, system=True)
        cast.users[username] = user
    # Department heads for the other departments, so that every 科室 has someone who signs for its tasks.
    for i, dept in enumerate(dept_list):
        if dept.name != "财务股":
            staff[i].post = f"{dept.name}负责人"
            staff[i].save(update_fields=["post"])
    superior = _account(None, "superior", county, None, password, "县纪委监委（只读）")
    roles.role_grant(
        actor=None,
        user=superior,
        role=Role.SUPERIOR,
        unit=county,
        include_subunits=True,
        superior_kind=SuperiorKind.JIWEI,
        system=True,
    )
    cast.users["superior"] = superior
    cast.users["sysadmin"] = sysadmin
    for username, role, display in (("secadmin", Role.SECADMIN, "安全管理员"), ("auditor", Role.AUDITOR, "安全审计员")):
        user = _account(None, username, bureau, None, password, display)
        roles.role_grant(actor=None, user=user, role=role, unit=bureau, include_subunits=True, system=True)
        cast.users[username] = user

    # The sibling bureau, whose 财务科 head is the `outsider`; and the far bureau nobody here sees.
    sibling_staff = _bureau(sysadmin, sibling, "QHJT", ["办公室", "财务科", "运输管理科"], 6, 5)
    outsider = _account(None, "outsider", sibling, sibling_staff[1], password)
    roles.role_grant(actor=None, user=outsider, role=Role.HEAD, unit=sibling, system=True)
    cast.users["outsider"] = outsider
    _bureau(sysadmin, far_bureau, "NSZJ", ["办公室", "财务股"], 4, 9)
    # From here on the demo sysadmin serves the bureau only, like its secadmin and auditor: the far county's
    # bureau is then outside every demo account's scope (the permission matrix's "out of scope").
    city_grant = sysadmin.role_assignments.get(role=Role.SYSADMIN, unit=city, revoked_at__isnull=True)
    roles.role_revoke_system(grant=city_grant)
    roles.role_grant(actor=None, user=sysadmin, role=Role.SYSADMIN, unit=bureau, include_subunits=True, system=True)
    return cast


def load() -> Cast:
    """The cast of an existing demo world (for tests that run after `build`)."""
    units = {u.code: u for u in Unit.objects.filter(code__startswith="DEMO-")}
    cast = Cast(
        units["DEMO-QH-CITY"],
        units["DEMO-QH-COUNTY"],
        units[BUREAU_CODE],
        units["DEMO-QH-JTJ"],
        units["DEMO-NS-COUNTY"],
        units["DEMO-NS-ZJJ"],
    )
    names = [u for u, *_ in ROLE_ACCOUNTS] + ["superior", "sysadmin", "secadmin", "auditor", "outsider"]
    cast.users = {u.username: u for u in User.objects.filter(username__in=names)}
    cast.departments = {d.name: d for d in Department.objects.filter(unit=cast.bureau)}
    return cast


DEMO_LOGINS = [
    ("secretary", "党组书记（第一责任人）"),
    ("leader", "班子成员（一岗双责，分管财务股、计划项目股）"),
    ("inspector", "纪检组长（监督责任）"),
    ("clerk", "办公室督查专员"),
    ("head", "科室负责人（财务股）"),
    ("staff", "干部职工（财务股）"),
    ("superior", "上级（县纪委监委，只读）"),
    ("sysadmin", "系统管理员"),
    ("secadmin", "安全管理员"),
    ("auditor", "安全审计员"),
    ("outsider", "兄弟单位科室负责人（县交通运输局）"),
]
