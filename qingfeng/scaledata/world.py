"""The organisation: a city with its bureaus and counties, each county with its bureaus; departments, branches,
people (班子 with 分管, 科室负责人, 科员), one account per person with the role of their post, and the 督查专员 of
the city and of each county whose grants cover the units below."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from qingfeng.org.demo import DEMO_PASSWORD, GIVEN, SURNAMES
from qingfeng.org.models import Branch, Department, Person, RoleAssignment, Unit, User
from qingfeng.org.roles import Role
from qingfeng.scaledata.progress import Progress
from qingfeng.scaledata.writer import Table

CODE_PREFIX = "SD-"  # every generated unit's code: how a database of generated data is recognised
CITY = "江州市"
COUNTIES = [
    "临江区",
    "望山县",
    "青河县",
    "云溪县",
    "石门县",
    "安平县",
    "长宁县",
    "白水县",
    "东湖区",
    "西岭县",
    "南浦县",
    "北川县",
]
BUREAUS = [
    "财政局",
    "发展和改革委员会",
    "教育局",
    "公安局",
    "民政局",
    "司法局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "城市管理局",
    "行政审批服务局",
    "信访局",
    "国有资产监督管理委员会",
    "机关事务管理局",
    "粮食和物资储备局",
    "体育局",
]
DEPARTMENTS = ["办公室", "人事", "财务", "规划", "法规", "政策研究", "执法监督", "安全生产", "行政审批", "信息化"]
FIRST_NAMES = [s + g for s in SURNAMES for g in GIVEN]


@dataclass
class Dept:
    id: int
    name: str
    members: list[int] = field(default_factory=list)  # person ids
    head: int | None = None  # person id of the 科室负责人
    leader: int | None = None  # person id of the 班子成员 who 分管 it


@dataclass
class Org:
    id: int
    name: str
    kind: str
    path: str
    depts: list[Dept] = field(default_factory=list)
    secretary: int | None = None
    leaders: list[int] = field(default_factory=list)  # 班子 deputies (分管 leaders)
    inspector: int | None = None
    clerk: int | None = None  # person id of the 督查专员
    people: list[int] = field(default_factory=list)


@dataclass
class World:
    units: list[Org]
    bureaus: list[Org]
    user_of: dict[int, int]  # person id → user id
    username_of: dict[int, str]
    city_clerk: int  # person id
    main: Org  # the bureau the bench logs in to
    users: list[int] = field(default_factory=list)


def _shape(units: int) -> tuple[int, int]:
    """(counties, city bureaus) of a city of `units` units: a twenty-fifth are counties, a seventh of the rest are
    the city's own bureaus, the remainder are bureaus of the counties."""
    counties = max(1, round(units * 0.04))
    city_bureaus = max(1, round((units - 1 - counties) * 0.14))
    return counties, city_bureaus


def build(rng: random.Random, units: int, people: int, now: dt.datetime) -> World:
    unit_t = Table(
        Unit, ["created_at", "updated_at", "deleted_at", "name", "code", "kind", "parent_id", "path", "order"]
    )
    dept_t = Table(Department, ["created_at", "updated_at", "deleted_at", "unit_id", "name", "order"])
    branch_t = Table(Branch, ["created_at", "updated_at", "deleted_at", "unit_id", "name", "order"])
    counties, city_bureaus = _shape(units)

    orgs: list[Org] = []
    unit_rows, parents = [], {}

    def add(name: str, kind: str, parent: Org | None) -> Org:
        pk = unit_t.allocate()
        path = f"{parent.path if parent else '/'}{pk}/"
        org = Org(pk, name, kind, path)
        code = f"{CODE_PREFIX}{len(orgs) + 1:05d}"
        unit_rows.append((pk, now, now, None, name, code, kind, parent.id if parent else None, path, len(orgs)))
        orgs.append(org)
        parents[pk] = parent
        return org

    city = add(CITY, Unit.Kind.CITY, None)
    county_orgs = [
        add(COUNTIES[i % len(COUNTIES)] + ("" if i < len(COUNTIES) else str(i)), Unit.Kind.COUNTY, city)
        for i in range(counties)
    ]
    bureaus: list[Org] = []
    for i in range(city_bureaus):
        bureaus.append(add(f"{CITY}{BUREAUS[i % len(BUREAUS)]}{'' if i < len(BUREAUS) else i}", Unit.Kind.BUREAU, city))
    rest = units - 1 - counties - city_bureaus
    for i in range(rest):
        county = county_orgs[i % counties]
        n = i // counties
        bureaus.append(
            add(f"{county.name}{BUREAUS[n % len(BUREAUS)]}{'' if n < len(BUREAUS) else n}", Unit.Kind.BUREAU, county)
        )
    unit_t.write(unit_rows)

    # People: city and county offices keep a few (their 督查专员 among them); bureaus share the rest, the city's own
    # bureaus twice the weight of a county's.
    office_staff = 6
    weights = [2.0 if parents[b.id] is city else 1.0 for b in bureaus]
    spread = max(people - office_staff * (1 + counties), 12 * len(bureaus))
    per_bureau = [max(12, int(spread * w / sum(weights))) for w in weights]

    person_t = Table(
        Person,
        [
            "created_at",
            "updated_at",
            "deleted_at",
            "unit_id",
            "employee_no",
            "name",
            "post",
            "department_id",
            "branch_id",
            "is_party_member",
            "is_leadership",
            "phone",
            "status",
            "order",
        ],
    )
    user_t = Table(
        User,
        [
            "password",
            "last_login",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "person_id",
            "unit_id",
            "display_name",
            "is_demo",
            "must_change_password",
            "password_changed_at",
        ],
    )
    grant_t = Table(
        RoleAssignment,
        [
            "user_id",
            "role",
            "unit_id",
            "include_subunits",
            "superior_kind",
            "granted_at",
            "granted_by_id",
            "revoked_at",
            "revoked_by_id",
        ],
    )
    supervised_t = Table(Person.supervised_departments.through, ["person_id", "department_id"])
    password = make_password(DEMO_PASSWORD)  # one hash for every generated account: hashing 30,000 takes hours

    dept_rows, branch_rows, person_rows, user_rows, grant_rows, supervised_rows = [], [], [], [], [], []
    user_of: dict[int, int] = {}
    username_of: dict[int, str] = {}
    progress = Progress("人员", people)

    def person(
        org: Org, post: str, dept: Dept | None, branch: int | None, leadership: bool, role: str, subunits: bool = False
    ) -> int:
        pk = person_t.allocate()
        n = len(org.people) + 1
        no = f"SD{org.id:04d}{n:04d}"
        name = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        person_rows.append(
            (
                pk,
                now,
                now,
                None,
                org.id,
                no,
                name,
                post,
                dept.id if dept else None,
                branch,
                leadership or rng.random() < 0.7,
                leadership,
                f"139{pk:08d}"[:11],
                "active",
                n,
            )
        )
        org.people.append(pk)
        uid = user_t.allocate()
        username = f"u{org.id:04d}{n:04d}"
        user_rows.append(
            (uid, password, None, False, username, "", "", "", False, True, now, pk, org.id, name, True, False, now)
        )
        grant_rows.append((grant_t.allocate(), uid, role, org.id, subunits, "", now, None, None, None))
        user_of[pk] = uid
        username_of[pk] = username
        return pk

    for org in [city, *county_orgs]:
        office = Dept(dept_t.allocate(), "督查室")
        dept_rows.append((office.id, now, now, None, org.id, office.name, 0))
        org.depts.append(office)
        org.clerk = person(org, "督查专员", office, None, False, Role.CLERK, subunits=True)
        for _ in range(office_staff - 1):
            office.members.append(person(org, "科员", office, None, False, Role.STAFF))
        progress.advance(office_staff)

    for org, size in zip(bureaus, per_bureau, strict=True):
        suffix = "科" if parents[org.id] is city else "股"
        n_depts = min(len(DEPARTMENTS), 6 + rng.randrange(5))
        for i in range(n_depts):
            name = DEPARTMENTS[i] if i == 0 else DEPARTMENTS[i] + suffix
            dept = Dept(dept_t.allocate(), name)
            dept_rows.append((dept.id, now, now, None, org.id, name, i))
            org.depts.append(dept)
        branches = []
        for i, name in enumerate(["机关第一党支部", "机关第二党支部"]):
            pk = branch_t.allocate()
            branch_rows.append((pk, now, now, None, org.id, name, i))
            branches.append(pk)
        office = org.depts[0]
        org.secretary = person(org, "党组书记、局长", office, branches[0], True, Role.SECRETARY)
        org.leaders = [person(org, "党组成员、副局长", office, branches[0], True, Role.LEADER) for _ in range(3)]
        org.inspector = person(org, "党组成员、纪检组长", office, branches[0], True, Role.INSPECTOR)
        org.clerk = person(org, "办公室督查专员", office, branches[0], False, Role.CLERK)
        office.members.append(org.clerk)
        for i, dept in enumerate(org.depts):
            dept.leader = org.secretary if i == 0 else org.leaders[(i - 1) % len(org.leaders)]
            supervised_rows.append((supervised_t.allocate(), dept.leader, dept.id))
            dept.head = person(org, f"{dept.name}负责人", dept, branches[i % 2], False, Role.HEAD)
            dept.members.append(dept.head)
        for i in range(size - len(org.people)):
            dept = org.depts[i % len(org.depts)]
            dept.members.append(person(org, "科员", dept, branches[i % 2], False, Role.STAFF))
        progress.advance(len(org.people))
        if len(person_rows) >= 20_000:
            _flush(
                [
                    (dept_t, dept_rows),
                    (branch_t, branch_rows),
                    (person_t, person_rows),
                    (user_t, user_rows),
                    (grant_t, grant_rows),
                ]
            )
    _flush(
        [
            (dept_t, dept_rows),
            (branch_t, branch_rows),
            (person_t, person_rows),
            (user_t, user_rows),
            (grant_t, grant_rows),
        ]
    )
    supervised_t.write(supervised_rows)
    progress.finish()

    # The bench's bureau: the largest of the city's own bureaus.
    main = max(bureaus[:city_bureaus], key=lambda b: (len(b.people), -b.id))
    return World(
        units=orgs,
        bureaus=bureaus,
        user_of=user_of,
        username_of=username_of,
        city_clerk=city.clerk or 0,
        main=main,
        users=list(user_of.values()),
    )


def _flush(pending: list[tuple[Table, list]]) -> None:
    """Write the rows gathered so far, parents first, and empty the lists."""
    for table, rows in pending:
        table.write(rows)
        rows.clear()
