"""The permission matrix (DESIGN.md, SECURITY.md C1): rows of route name, method, role, scope and the expected
status. Every URL and API route registered must have rows (tests/test_permission_matrix.py fails otherwise);
each later module adds its routes to ROUTES.

Scope: "in" = an object of the demo bureau (or the user's own, for personal records), "out" = one of the far
county's bureau, outside every demo account's scope; "-" for routes without an object. The roles are the role
codes of DESIGN.md, plus `outsider` (a head in the sibling bureau) and `anonymous`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

ROLES = [
    "secretary",
    "leader",
    "inspector",
    "clerk",
    "head",
    "staff",
    "superior",
    "sysadmin",
    "secadmin",
    "auditor",
    "outsider",
    "anonymous",
]
LOGGED_IN = frozenset(ROLES) - {"anonymous"}
BUSINESS = frozenset({"secretary", "leader", "inspector", "clerk", "head", "staff", "superior"})
SYSADMIN = frozenset({"sysadmin"})
SECADMIN = frozenset({"secadmin"})
AUDITOR = frozenset({"auditor"})

FAR_USERNAME = "far-head"


@dataclass(frozen=True)
class Route:
    """One route and method. `allowed`: roles that may use it at all (others: 403; anonymous: log-in redirect
    for pages, 401 for the API). `obj`: the kind of object in its URL; `sees`: roles that see the in-scope object
    (default: allowed minus outsider); `ok`: the status an allowed role gets (or a dict per role)."""

    name: str
    method: str
    allowed: frozenset[str]
    ok: int | dict[str, int] = 200
    obj: str | None = None
    sees: frozenset[str] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    public: bool = False

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


ORG_READERS = BUSINESS | SYSADMIN  # who sees people and departments of the bureau
UNIT_READERS = LOGGED_IN - AUDITOR - {"outsider"}

ROUTES: list[Route] = [
    # Log-in and the shell
    Route("login", "GET", LOGGED_IN | {"anonymous"}, ok={"anonymous": 200, **{r: 302 for r in LOGGED_IN}}, public=True),
    Route(
        "login", "POST", LOGGED_IN | {"anonymous"}, ok={"anonymous": 200, **{r: 302 for r in LOGGED_IN}}, public=True
    ),
    Route("logout", "POST", LOGGED_IN | {"anonymous"}, ok=302, public=True),
    Route("password_change", "GET", LOGGED_IN),
    Route("password_change", "POST", LOGGED_IN),
    Route("healthz", "GET", LOGGED_IN | {"anonymous"}, public=True),
    Route("core:workbench", "GET", LOGGED_IN),
    Route("core:notifications", "GET", LOGGED_IN),
    Route("core:notification_read", "POST", LOGGED_IN, ok=302, obj="notification", sees=LOGGED_IN),
    Route("core:notification_read_all", "POST", LOGGED_IN, ok=302),
    Route("core:attachment_download", "GET", LOGGED_IN, obj="attachment", sees=SYSADMIN),
    # 安全审计员
    Route("core:audit_list", "GET", AUDITOR),
    Route("core:audit_export", "GET", AUDITOR),
    Route("core:audit_verify", "POST", AUDITOR),
    # 系统管理员
    Route("core:holidays", "GET", SYSADMIN),
    Route("core:holidays", "POST", SYSADMIN),
    Route("core:holiday_delete", "POST", SYSADMIN, ok=302, obj="holiday"),
    Route("org:unit_list", "GET", SYSADMIN),
    Route("org:unit_list", "POST", SYSADMIN),
    Route("org:unit_detail", "GET", SYSADMIN, obj="unit"),
    Route("org:unit_detail", "POST", SYSADMIN, obj="unit"),
    Route("org:unit_delete", "POST", SYSADMIN, ok=302, obj="unit"),
    Route("org:department_create", "POST", SYSADMIN, ok=302, obj="unit"),
    Route("org:branch_create", "POST", SYSADMIN, ok=302, obj="unit"),
    Route("org:department_edit", "GET", SYSADMIN, obj="department"),
    Route("org:department_edit", "POST", SYSADMIN, obj="department"),
    Route("org:department_delete", "POST", SYSADMIN, ok=302, obj="department"),
    Route("org:branch_edit", "GET", SYSADMIN, obj="branch"),
    Route("org:branch_edit", "POST", SYSADMIN, obj="branch"),
    Route("org:branch_delete", "POST", SYSADMIN, ok=302, obj="branch"),
    Route("org:person_list", "GET", SYSADMIN),
    Route("org:person_create", "GET", SYSADMIN),
    Route("org:person_create", "POST", SYSADMIN),
    Route("org:roster_import", "GET", SYSADMIN),
    Route("org:roster_import", "POST", SYSADMIN),
    Route("org:roster_template", "GET", SYSADMIN),
    Route("org:person_detail", "GET", SYSADMIN, obj="person"),
    Route("org:person_detail", "POST", SYSADMIN, obj="person"),
    Route("org:person_leave", "POST", SYSADMIN, ok=302, obj="person"),
    Route("org:person_attach", "POST", SYSADMIN, ok=302, obj="person"),
    Route("org:account_list", "GET", SYSADMIN),
    Route("org:account_create", "GET", SYSADMIN),
    Route("org:account_create", "POST", SYSADMIN),
    Route("org:account_detail", "GET", SYSADMIN, obj="account"),
    Route("org:account_toggle", "POST", SYSADMIN, ok=302, obj="account"),
    Route("org:account_reset", "POST", SYSADMIN, ok=302, obj="account"),
    # 安全管理员
    Route("org:grant_list", "GET", SECADMIN),
    Route("org:grant_list", "POST", SECADMIN),
    Route("org:grant_revoke", "POST", SECADMIN, ok=302, obj="grant"),
    Route("org:security_policy", "GET", SECADMIN),
    # Everyone's own page
    Route("org:profile", "GET", LOGGED_IN),
    Route("org:profile", "POST", LOGGED_IN),
    Route("org:token_revoke", "POST", LOGGED_IN, ok=302, obj="token", sees=LOGGED_IN),
    # --- supervision: deployments (rows added by the deployment pages) ---
    # The in-scope deployment is confirmed, so its review page redirects to the board (302), also on POST.
    Route("supervision:deployment_list", "GET", BUSINESS | {"outsider"}),
    Route("supervision:deployment_create", "GET", frozenset({"secretary", "clerk"})),
    Route("supervision:deployment_create", "POST", frozenset({"secretary", "clerk"})),  # empty: errors, 200
    Route(
        "supervision:deployment_detail",
        "GET",
        BUSINESS | {"outsider"},
        obj="deployment",
        sees=frozenset({"secretary", "inspector", "clerk", "superior", "leader"}),
    ),
    Route("supervision:deployment_review", "GET", frozenset({"secretary", "clerk"}), ok=302, obj="deployment"),
    Route("supervision:deployment_review", "POST", frozenset({"secretary", "clerk"}), ok=302, obj="deployment"),
    Route(
        "supervision:deployment_export",
        "GET",
        BUSINESS | {"outsider"},
        obj="deployment",
        sees=frozenset({"secretary", "inspector", "clerk", "superior", "leader"}),
    ),
    # --- end supervision: deployments ---
    # --- supervision: tasks (rows added by the task pages) ---
    # Codes from org/roles.py: view = BUSINESS + outsider (a head); sign/report/extend_request = head, staff (+
    # outsider); review = secretary, leader, clerk; extend_decide = leader, clerk; instruct = secretary, leader;
    # assign = clerk. Each POST row runs on the fresh in-scope task (待签收): a rule broken → message + 302.
    Route("supervision:task_list", "GET", BUSINESS | {"outsider"}),
    Route("supervision:task_export", "GET", BUSINESS | {"outsider"}),
    Route("supervision:task_new", "GET", frozenset({"clerk"})),
    Route("supervision:task_new", "POST", frozenset({"clerk"})),  # empty form → 200 with errors
    Route("supervision:board", "GET", BUSINESS | {"outsider"}),
    Route("supervision:task_detail", "GET", BUSINESS | {"outsider"}, obj="task"),
    Route("supervision:part_sign", "POST", frozenset({"head", "staff", "outsider"}), ok=302, obj="part"),
    Route("supervision:task_report", "POST", frozenset({"head", "staff", "outsider"}), ok=302, obj="task"),
    Route("supervision:task_submit", "POST", frozenset({"head", "staff", "outsider"}), ok=302, obj="task"),
    Route("supervision:task_extend", "POST", frozenset({"head", "staff", "outsider"}), ok=302, obj="task"),
    Route(
        "supervision:task_approve", "POST", frozenset({"secretary", "leader", "inspector", "clerk"}), ok=302, obj="task"
    ),
    Route(
        "supervision:task_return", "POST", frozenset({"secretary", "leader", "inspector", "clerk"}), ok=302, obj="task"
    ),
    Route("supervision:task_watch", "POST", frozenset({"secretary", "leader"}), ok=302, obj="task"),
    Route("supervision:task_instruct", "POST", frozenset({"secretary", "leader"}), ok=302, obj="task"),
    # object_for() has no "extension" finder (outside this block) and the matrix world has no extension request:
    # the task's pk stands in, so every role with the code gets 404 and the others 403.
    Route("supervision:extension_decide", "POST", frozenset({"leader", "clerk"}), ok=302, obj="task", sees=frozenset()),
    Route("api:task_list_api", "GET", LOGGED_IN),
    Route("api:task_detail_api", "GET", LOGGED_IN, obj="task", sees=BUSINESS),
    # API actions: the roles without the code that see the task get 403 from the service; 财务股's head and
    # 杨丽娟 (responsible person) sign; an empty progress body and submitting an unsigned task are 400.
    Route(
        "api:part_sign_api",
        "POST",
        LOGGED_IN,
        ok={r: 200 if r in {"head", "staff"} else 403 for r in BUSINESS},
        obj="part",
        sees=BUSINESS,
    ),
    Route(
        "api:task_progress_api",
        "POST",
        LOGGED_IN,
        ok={r: 400 if r in {"head", "staff"} else 403 for r in BUSINESS},
        obj="task",
        sees=BUSINESS,
    ),
    Route(
        "api:task_submit_api",
        "POST",
        LOGGED_IN,
        ok={r: 400 if r in {"head", "staff"} else 403 for r in BUSINESS},
        obj="task",
        sees=BUSINESS,
    ),
    # --- end supervision: tasks ---
    # --- supervision: 单位总览 (GET only; figures of the user's own scope; ?unit= outside it is 404, tested in
    # qingfeng/supervision/tests/test_overview.py) ---
    Route("supervision:overview", "GET", BUSINESS | {"outsider"}),
    # --- end supervision: 单位总览 ---
    # --- supervision: 作风问题 (the in-scope one was reported anonymously by staff) ---
    Route("supervision:style_list", "GET", BUSINESS | {"outsider"}),
    Route("supervision:style_new", "GET", BUSINESS - {"superior"} | {"outsider"}),
    Route("supervision:style_new", "POST", BUSINESS - {"superior"} | {"outsider"}),
    Route(
        "supervision:style_detail",
        "GET",
        BUSINESS | {"outsider"},
        obj="style",
        sees=frozenset({"secretary", "inspector", "superior", "staff"}),
    ),
    Route("supervision:style_verify", "POST", frozenset({"inspector"}), ok=302, obj="style"),
    Route("supervision:style_link", "POST", frozenset({"inspector"}), ok=302, obj="style"),
    Route("supervision:style_close", "POST", frozenset({"inspector"}), ok=302, obj="style"),
    # --- end supervision: 作风问题 ---
    # --- supervision: 专班 (the in-scope one: 李志强 leads, 陈文斌 and 杨丽娟 are members) ---
    Route("supervision:taskforce_list", "GET", BUSINESS | {"outsider"}),
    Route("supervision:taskforce_new", "GET", frozenset({"secretary", "clerk"})),
    Route("supervision:taskforce_new", "POST", frozenset({"secretary", "clerk"})),
    Route("supervision:taskforce_detail", "GET", BUSINESS | {"outsider"}, obj="taskforce"),
    Route("supervision:milestone_add", "POST", BUSINESS | {"outsider"}, ok=302, obj="taskforce"),
    Route("supervision:milestone_done", "POST", BUSINESS | {"outsider"}, ok=302, obj="taskforce"),
    Route("supervision:taskforce_attach", "POST", frozenset({"clerk"}), ok=302, obj="taskforce"),
    # --- end supervision: 专班 ---
    # --- rectification: rounds (the in-scope round has one finding whose measure is led by 财务股 / 李志强 / 杨丽娟) ---
    # view = BUSINESS + outsider (a head); manage = secretary, inspector, clerk. An empty POST of a finding or a
    # measure → message + 302 back to the round.
    Route("rectification:round_list", "GET", BUSINESS | {"outsider"}),
    Route("rectification:round_new", "GET", frozenset({"secretary", "inspector", "clerk"})),
    Route("rectification:round_new", "POST", frozenset({"secretary", "inspector", "clerk"})),  # empty: errors, 200
    Route("rectification:round_detail", "GET", BUSINESS | {"outsider"}, obj="round"),
    Route("rectification:finding_new", "POST", frozenset({"secretary", "inspector", "clerk"}), ok=302, obj="round"),
    Route("rectification:measure_new", "POST", frozenset({"secretary", "inspector", "clerk"}), ok=302, obj="finding"),
    # --- end rectification: rounds ---
    # --- rectification: import ---
    Route("rectification:round_import", "GET", frozenset({"secretary", "inspector", "clerk"}), obj="round"),
    Route("rectification:round_import", "POST", frozenset({"secretary", "inspector", "clerk"}), obj="round"),
    Route("rectification:import_template", "GET", frozenset({"secretary", "inspector", "clerk"})),
    # --- end rectification: import ---
    # --- rectification: ledger ---
    Route("rectification:ledger", "GET", BUSINESS | {"outsider"}, obj="round"),
    Route("rectification:ledger_export", "GET", BUSINESS | {"outsider"}, obj="round"),
    Route("rectification:report", "GET", frozenset({"secretary", "inspector", "clerk"}), obj="round"),
    # --- end rectification: ledger ---
    # --- rectification: 整改核查 (an empty POST: a message and back to the round) ---
    Route("rectification:finding_check", "POST", BUSINESS | {"outsider"}, ok=302, obj="finding"),
    # --- end rectification: 整改核查 ---
    # --- rectification: 回头看 (the matrix measure is still open: the service refuses with a message, 302 back) ---
    Route(
        "rectification:measure_recheck_schedule",
        "POST",
        frozenset({"secretary", "inspector", "clerk"}),
        ok=302,
        obj="measure",
    ),
    Route(
        "rectification:measure_recheck", "POST", frozenset({"secretary", "inspector", "clerk"}), ok=302, obj="measure"
    ),
    # --- end rectification: 回头看 ---
    # API: every logged-in role may call it; rows are filtered by visibility.
    Route("api:api-root", "GET", LOGGED_IN | {"anonymous"}, ok=404, public=True),  # no docs page (CDN assets)
    Route("api:openapi-json", "GET", LOGGED_IN, ok=200),
    Route("api:me", "GET", LOGGED_IN),
    Route("api:unit_list", "GET", LOGGED_IN),
    Route("api:unit_detail", "GET", LOGGED_IN, obj="unit", sees=UNIT_READERS),
    Route("api:department_list", "GET", LOGGED_IN),
    Route("api:person_list", "GET", LOGGED_IN),
    Route("api:person_detail", "GET", LOGGED_IN, obj="person", sees=ORG_READERS),
    Route("api:notification_list", "GET", LOGGED_IN),
    Route("api:notification_read", "POST", LOGGED_IN, obj="notification", sees=LOGGED_IN),
]


# Each later module keeps its rows, the objects they point at and their finders in a module of its own
# (tests/matrix_<app>.py: ROUTES, build_objects(cast, far), finders(unit, scope, own) -> {kind: callable}).
MODULES = [
    "tests.matrix_responsibility",
    "tests.matrix_integrity",
    "tests.matrix_ideology",
    "tests.matrix_opinion",
    "tests.matrix_education",
    "tests.matrix_rules",
]


def _module(name: str) -> Any:
    from importlib import import_module

    return import_module(name)


for _name in MODULES:
    ROUTES += _module(_name).ROUTES


@dataclass(frozen=True)
class Row:
    route: Route
    role: str
    scope: str
    expected: int

    @property
    def id(self) -> str:
        return f"{self.route.name}-{self.route.method}-{self.role}-{self.scope}"


def _expected(route: Route, role: str, scope: str) -> int:
    if role == "anonymous" and not route.public:
        if route.is_api and route.name != "api:openapi-json":
            return 401
        return 302  # to the log-in page
    if role not in route.allowed:
        return 403
    if scope == "out":
        return 404
    sees = route.sees if route.sees is not None else route.allowed - {"outsider"}
    if scope == "in" and role not in sees:
        return 404
    return route.ok[role] if isinstance(route.ok, dict) else route.ok


def rows() -> list[Row]:
    out = []
    for route in ROUTES:
        scopes = ["in", "out"] if route.obj and route.obj != "holiday" else (["in"] if route.obj else ["-"])
        for role in ROLES:
            for scope in scopes:
                out.append(Row(route, role, scope, _expected(route, role, scope)))
    return out


# --- the objects the rows point at -------------------------------------------------------------------------


def build_matrix_objects() -> None:
    """Objects the demo does not have: an account in the far bureau, a notification and an API token per
    account, a holiday, and an attachment on a person of each bureau. Built once per session with the cast."""
    from qingfeng.core import notify
    from qingfeng.core.attachments import attachment_create
    from qingfeng.core.holidays import holiday_set
    from qingfeng.org import demo
    from qingfeng.org.models import Person, User
    from qingfeng.org.roles import Role
    from qingfeng.org.services import accounts, roles

    cast = demo.load()
    far_person = Person.objects.filter(unit=cast.far_bureau).order_by("employee_no").first()
    far, _ = accounts.account_create(
        actor=None, username=FAR_USERNAME, unit=cast.far_bureau, person=far_person, system=True
    )
    roles.role_grant(actor=None, user=far, role=Role.HEAD, unit=cast.far_bureau, system=True)
    for user in User.objects.all():
        notify.send(recipients=[user], title=f"测试通知 {user.username}")
        accounts.token_create(actor=user, name="矩阵测试")

    holiday_set(actor=cast.users["sysadmin"], date=dt.date(2099, 1, 5), is_workday=False, name="矩阵测试")
    _build_supervision_objects(cast, far)
    for name in MODULES:
        _module(name).build_objects(cast, far)
    bureau_person = cast.users["staff"].person
    for person in (bureau_person, far_person):
        upload = SimpleUploadedFile("任职文件.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        attachment_create(actor=cast.users["sysadmin"], owner=person, unit=person.unit, upload=upload)


SUPERVISION_TITLE = "矩阵测试：认真履行“两个责任”"


def _build_supervision_objects(cast: Any, far: Any) -> None:
    """A confirmed deployment with one task in each bureau. In the demo bureau the task is led by 财务股 (the
    head's department) under 李志强 (the leader) with 杨丽娟 (staff) responsible, so every business role of the
    bureau sees it; the deployment is issued by the secretary."""
    from qingfeng.org.models import Person
    from qingfeng.org.roles import Role
    from qingfeng.org.services import roles
    from qingfeng.rectification.services.rounds import finding_create, measure_create, round_create
    from qingfeng.supervision.services._common import account_of
    from qingfeng.supervision.services.deployments import deployment_confirm, deployment_create
    from qingfeng.supervision.services.style import style_report
    from qingfeng.supervision.services.taskforces import taskforce_create
    from qingfeng.supervision.services.tasks import TaskDraft

    roles.role_grant(actor=None, user=far, role=Role.CLERK, unit=cast.far_bureau, system=True)
    today = dt.date.today()
    worlds = [
        (
            cast.users["clerk"],
            cast.bureau,
            cast.users["secretary"].person,
            cast.departments["财务股"],
            cast.users["leader"].person,
            cast.users["staff"].person,
        ),
    ]
    far_dept = far.person.department
    far_leader = Person.objects.filter(unit=cast.far_bureau).exclude(pk=far.person.pk).first()
    far_leader.is_leadership = True
    far_leader.save(update_fields=["is_leadership"])
    worlds.append((far, cast.far_bureau, far_leader, far_dept, far_leader, far.person))
    for actor, unit, issuer, dept, leader, person in worlds:
        deployment = deployment_create(actor=actor, unit=unit, title="矩阵测试部署", date=today, issuing_leader=issuer)
        draft = TaskDraft(
            title=SUPERVISION_TITLE,
            lead_department=dept,
            lead_leader=leader,
            deadline=today + dt.timedelta(days=60),
            responsible_person=person,
        )
        deployment_confirm(actor=actor, deployment=deployment, rows=[draft])
        round_ = round_create(
            actor=actor, unit=unit, name="矩阵测试巡察", body="矩阵测试巡察组", kind="xuncha", feedback_date=today
        )
        finding = finding_create(
            actor=actor, round_=round_, number="1", category="作风建设", description="矩阵测试问题"
        )
        measure_create(
            actor=actor,
            finding=finding,
            text="矩阵测试整改措施",
            department=dept,
            lead_leader=leader,
            responsible_person=person,
            deadline=today + dt.timedelta(days=30),
        )
        taskforce_create(
            actor=actor,
            unit=unit,
            name="矩阵测试专班",
            leader=leader,
            members=[p for p in (cast.users["head"].person, person) if p.unit_id == unit.pk],
            goal="矩阵测试",
            start=today,
            end=today + dt.timedelta(days=90),
        )
        style_report(
            actor=account_of(person),
            unit=unit,
            category="shirking",
            department=dept,
            anonymous=True,
            description="矩阵测试：办理材料被多次退回，无一次性告知。",
        )


def object_for(kind: str, scope: str, username: str) -> Any:
    """The primary key the URL needs for this object kind and scope."""
    from qingfeng.core.models import Attachment, HolidayOverride, Notification
    from qingfeng.org import demo
    from qingfeng.org.models import ApiToken, Branch, Department, Person, RoleAssignment, User
    from qingfeng.rectification.models import Finding, Measure, Round
    from qingfeng.supervision.models import Deployment, StyleProblem, Task, TaskForce, TaskPart

    cast = demo.load()
    unit = cast.bureau if scope == "in" else cast.far_bureau
    own = {"in": username, "out": FAR_USERNAME}[scope] if username != "anonymous" else "staff"
    finders: dict[str, Callable[[], Any]] = {
        "unit": lambda: unit,
        "department": lambda: Department.objects.filter(unit=unit, name__in=["财务股"]).first(),
        "branch": lambda: Branch.objects.filter(unit=unit).order_by("order").first(),
        "person": lambda: cast.users["staff"].person if scope == "in" else Person.objects.filter(unit=unit).first(),
        "account": lambda: cast.users["staff"] if scope == "in" else User.objects.get(username=FAR_USERNAME),
        "grant": lambda: RoleAssignment.objects.filter(
            user__username="staff" if scope == "in" else FAR_USERNAME, revoked_at__isnull=True
        ).first(),
        "notification": lambda: Notification.objects.filter(recipient__username=own).first(),
        "token": lambda: ApiToken.objects.filter(user__username=own, revoked_at__isnull=True).first(),
        "attachment": lambda: Attachment.objects.filter(unit=unit).first(),
        "holiday": lambda: HolidayOverride.objects.first(),
        "deployment": lambda: Deployment.objects.filter(unit=unit, title="矩阵测试部署").first(),
        "task": lambda: Task.objects.filter(unit=unit, title=SUPERVISION_TITLE).first(),
        "round": lambda: Round.objects.filter(unit=unit).first(),
        "finding": lambda: Finding.objects.filter(unit=unit).first(),
        "measure": lambda: Measure.objects.filter(unit=unit).first(),
        "taskforce": lambda: TaskForce.objects.filter(unit=unit).first(),
        "style": lambda: StyleProblem.objects.filter(unit=unit).first(),
        "part": lambda: TaskPart.objects.filter(unit=unit, task__title=SUPERVISION_TITLE, role="lead").first(),
    }
    for name in MODULES:
        finders.update(_module(name).finders(unit, scope, own))
    return finders[kind]().pk


def upload_for(route: Route) -> dict[str, Any]:
    if route.name == "org:person_attach":
        return {"file": SimpleUploadedFile("说明.txt", "矩阵测试".encode())}
    return {}
