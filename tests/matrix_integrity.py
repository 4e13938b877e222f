"""The permission-matrix rows of the integrity module (see tests/permission_matrix.py, MODULES): its routes, the objects
they point at (built once per session with the cast) and the finders of those objects per scope.

The in-scope objects: a risk point of 财务股 (责任人 陈文斌, the head) and a check over it; a 四种形态 record of 杨丽娟
(staff); 杨丽娟's own filing. "person" (杨丽娟, 财务股, supervised by the leader 李志强) and "office_person" (刘海燕, the
clerk, 办公室: not the leader's 分管) are the two 廉政档案 pages: the leader sees the first and not the second.
The 组织部 superior (not a matrix role) is refused the ledger in qingfeng/integrity/tests/test_ledger.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tests.permission_matrix import BUSINESS, Route

VIEW = BUSINESS | {"outsider"}
RISK_MANAGE = frozenset({"secretary", "inspector", "clerk"})
LEDGER = frozenset({"secretary", "inspector", "superior"})
INSPECTOR = frozenset({"inspector"})
FILE_SUBMIT = BUSINESS - {"superior"} | {"outsider"}
# Whose 廉政档案 each role sees: 杨丽娟 (财务股): herself, her department's 分管 leader, the secretary, the 纪检组长 and
# the superior; the clerk and the head only their own.
SEES_STAFF_FILE = frozenset({"secretary", "leader", "inspector", "superior", "staff"})
SEES_OFFICE_FILE = frozenset({"secretary", "inspector", "superior", "clerk"})
# A check over a 财务股 risk point: the whole-unit roles, the 分管 leader and 财务股's head.
SEES_CHECK = frozenset({"secretary", "inspector", "clerk", "superior", "leader", "head"})
# A 财务股 risk point whose 责任人 is the head: as the check, staff not (not theirs).
SEES_POINT = SEES_CHECK

FILE_SEERS = frozenset({"secretary", "leader", "inspector", "staff"})


def _file_writers(ok: int) -> dict[str, int]:
    """The statuses of a filing's writers (the person and the 纪检组长) and of those who only see it."""
    return {"secretary": 403, "leader": 403, "inspector": ok, "staff": ok}


ROUTES: list[Route] = [
    # --- integrity: 廉政风险点 and 督促检查 (an empty POST: the form again with its errors, 200) ---
    Route("integrity:risk_list", "GET", VIEW),
    Route("integrity:risk_export", "GET", VIEW),
    Route("integrity:risk_new", "GET", RISK_MANAGE),
    Route("integrity:risk_new", "POST", RISK_MANAGE),
    Route("integrity:check_list", "GET", VIEW),
    Route("integrity:check_new", "GET", RISK_MANAGE),
    Route("integrity:check_new", "POST", RISK_MANAGE),
    Route("integrity:check_detail", "GET", VIEW, obj="riskcheck", sees=SEES_CHECK),
    # an empty problem: a message and back to the check
    Route("integrity:problem_new", "POST", RISK_MANAGE, ok=302, obj="riskcheck"),
    # 完成检查 without the 检查情况: a message and back to the check (the leader and the head who see it: 403)
    Route("integrity:check_complete", "POST", RISK_MANAGE, ok=302, obj="riskcheck"),
    # correcting, reviewing (复核) and deleting a point: the risk managers; an empty POST changes nothing (the form
    # again; a message and back for the review and the deletion, which needs a reason)
    Route("integrity:risk_edit", "GET", RISK_MANAGE, obj="riskpoint"),
    Route("integrity:risk_edit", "POST", RISK_MANAGE, obj="riskpoint"),
    Route("integrity:risk_review", "POST", RISK_MANAGE, ok=302, obj="riskpoint"),
    Route("integrity:risk_delete", "POST", RISK_MANAGE, ok=302, obj="riskpoint"),
    # --- integrity: 四种形态 ledger (confidential: the head, leader, clerk, staff and the 三员 get 403) ---
    Route("integrity:ledger_list", "GET", LEDGER),
    Route("integrity:ledger_stats", "GET", LEDGER),
    # the export asks for the password again first (SECURITY.md A11): to the confirmation page
    Route("integrity:ledger_export", "GET", LEDGER, ok=302),
    Route("integrity:ledger_reauth", "GET", LEDGER),
    Route("integrity:ledger_reauth", "POST", LEDGER),
    Route("integrity:ledger_new", "GET", INSPECTOR),
    Route("integrity:ledger_new", "POST", INSPECTOR),
    Route("integrity:ledger_detail", "GET", LEDGER, obj="ledger"),
    # correcting and deleting a record: the 纪检组长 only (the secretary and the 纪委 superior read it, 403)
    Route("integrity:ledger_edit", "GET", INSPECTOR, obj="ledger"),
    Route("integrity:ledger_edit", "POST", INSPECTOR, obj="ledger"),
    Route("integrity:ledger_delete", "POST", INSPECTOR, ok=302, obj="ledger"),
    # --- integrity: 廉政档案 ---
    Route("integrity:file_list", "GET", VIEW),
    Route("integrity:file_detail", "GET", VIEW, obj="person", sees=SEES_STAFF_FILE),
    Route("integrity:file_detail", "GET", VIEW, obj="office_person", sees=SEES_OFFICE_FILE),
    Route("integrity:file_export", "GET", VIEW, obj="person", sees=SEES_STAFF_FILE),
    Route("integrity:file_export", "GET", VIEW, obj="office_person", sees=SEES_OFFICE_FILE),
    # Filing for 杨丽娟 (new), correcting or withdrawing her filing (filed today): herself and the 纪检组长; the secretary
    # and the leader see her file but may not file or change it for her (403).
    *[
        Route(name, method, FILE_SUBMIT, obj=obj, sees=FILE_SEERS, ok=_file_writers(ok))
        for name, method, obj, ok in [
            ("integrity:filing_new", "GET", "person", 200),
            ("integrity:filing_new", "POST", "person", 200),
            ("integrity:filing_edit", "GET", "filing", 200),
            ("integrity:filing_edit", "POST", "filing", 200),
            ("integrity:filing_delete", "POST", "filing", 302),
        ]
    ],
    # --- integrity: API ---
    Route("api:integrity_risk_list_api", "GET", VIEW),
    Route("api:integrity_risk_detail_api", "GET", VIEW, obj="riskpoint", sees=SEES_POINT),
    Route("api:integrity_filing_list_api", "GET", VIEW),
    Route("api:integrity_ledger_list_api", "GET", LEDGER),
    Route("api:integrity_ledger_stats_api", "GET", LEDGER),
    Route("api:integrity_ledger_detail_api", "GET", LEDGER, obj="ledger"),
    # --- integrity: API writes (an empty body: 400 with the Chinese message, except an update, which changes nothing:
    # 200). The risk managers only: the head (whose department the point is), the leader who supervises it and the
    # superior who see it get 403, like the 三员 and the sibling bureau's head; out of scope 404. ---
    Route("api:integrity_risk_create_api", "POST", RISK_MANAGE, ok=400),
    Route("api:integrity_risk_update_api", "POST", RISK_MANAGE, obj="riskpoint"),
    Route("api:integrity_risk_delete_api", "POST", RISK_MANAGE, ok=400, obj="riskpoint"),
    Route("api:integrity_risk_review_api", "POST", RISK_MANAGE, ok=400, obj="riskpoint"),
    Route("api:integrity_check_list_api", "GET", VIEW),
    Route("api:integrity_check_detail_api", "GET", VIEW, obj="riskcheck", sees=SEES_CHECK),
    Route("api:integrity_check_create_api", "POST", RISK_MANAGE, ok=400),
    Route("api:integrity_problem_create_api", "POST", RISK_MANAGE, ok=400, obj="riskcheck"),
    Route("api:integrity_check_complete_api", "POST", RISK_MANAGE, ok=400, obj="riskcheck"),
    # filings as on the pages: 杨丽娟 and the 纪检组长 write; the secretary and the leader see her file but get 403
    *[
        Route(name, "POST", FILE_SUBMIT, obj=obj, sees=FILE_SEERS, ok=_file_writers(ok))
        for name, obj, ok in [
            ("api:integrity_filing_create_api", "person", 400),
            ("api:integrity_filing_update_api", "filing", 200),
            ("api:integrity_filing_delete_api", "filing", 400),
        ]
    ],
]

MATRIX_CHECK = "矩阵测试：财务报销风险点督促检查"
MATRIX_FILING = "矩阵测试：无变化"


def build_objects(cast: Any, far: Any) -> None:
    """Objects of this module in the demo bureau ("in") and in the far bureau ("out"); `far` is the far bureau's
    head account (also granted clerk there; here also 纪检组长, to keep that bureau's ledger)."""
    from qingfeng.integrity.models import Filing, RiskPoint
    from qingfeng.integrity.services import filings, ledger, risks
    from qingfeng.org.models import Person
    from qingfeng.org.roles import Role
    from qingfeng.org.services import roles

    roles.role_grant(actor=None, user=far, role=Role.INSPECTOR, unit=cast.far_bureau, system=True)
    today = dt.date.today()
    staff_person = cast.users["staff"].person
    far_other = Person.objects.filter(unit=cast.far_bureau).exclude(pk=far.person.pk).order_by("employee_no").first()
    worlds = [
        (
            cast.users["clerk"],
            cast.users["inspector"],
            cast.bureau,
            cast.departments["财务股"],
            cast.users["head"].person,
            staff_person,
            cast.users["staff"],
        ),
        (far, far, cast.far_bureau, far.person.department, far.person, far_other, far),
    ]
    for clerk, inspector, unit, dept, owner, subject, subject_account in worlds:
        point = risks.point_create(
            actor=clerk,
            unit=unit,
            data=risks.PointData(
                area="财务报销",
                department=dept,
                post="报账员",
                name="矩阵测试：报销审核",
                description="审核把关不严，虚列支出",
                level=RiskPoint.Level.HIGH,
                controls="双人审核，定期抽查",
                owner=owner,
            ),
        )
        risks.check_create(actor=clerk, unit=unit, name=MATRIX_CHECK, date=today, points=[point])
        ledger.record_create(
            actor=inspector,
            unit=unit,
            data=ledger.RecordData(
                person=subject,
                date=today,
                form=1,
                measure="谈话提醒",
                category="违反工作纪律",
                clue_source="routine",
                decided_by="驻局纪检监察组",
                description="矩阵测试：报销审核不严",
                decision="矩阵测试：谈话提醒",
            ),
        )
        filer = subject_account if subject_account.person_id == subject.pk else inspector
        filings.filing_create(
            actor=filer,
            person=subject,
            data=filings.FilingData(
                kind=Filing.Kind.PERSONAL_MATTERS, filed_on=today, year=today.year, summary=MATRIX_FILING
            ),
        )


def finders(unit: Any, scope: str, own: str) -> dict[str, Callable[[], Any]]:
    """Object kind -> a callable returning the object of `unit` for that scope; `own` is the username whose
    personal records are meant."""
    from qingfeng.integrity.models import DisciplineRecord, Filing, RiskCheck, RiskPoint
    from qingfeng.org import demo
    from qingfeng.org.models import Person

    def office_person() -> Any:
        if scope == "in":
            return demo.load().users["clerk"].person
        return Person.objects.filter(unit=unit).order_by("employee_no").first()

    return {
        "riskpoint": lambda: RiskPoint.objects.filter(unit=unit).order_by("id").first(),
        "riskcheck": lambda: RiskCheck.objects.filter(unit=unit, name=MATRIX_CHECK).first(),
        "ledger": lambda: DisciplineRecord.objects.filter(unit=unit).order_by("id").first(),
        "office_person": office_person,
        "filing": lambda: Filing.objects.filter(unit=unit, summary=MATRIX_FILING).first(),
    }
