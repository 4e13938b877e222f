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
# 督查督办 (supervision): view; deploy (部署与分解表确认); assign (交办); sign / report / extend_request (签收、报送进展、
# 提交审核、申请延期: the responsible unit); review (办结审核); instruct (关注、批示); extend_decide (延期审批).
_SUPERVISION: dict[str, frozenset[str]] = {
    Role.SECRETARY: frozenset({"supervision.view", "supervision.deploy", "supervision.review", "supervision.instruct"}),
    Role.LEADER: frozenset(
        {"supervision.view", "supervision.review", "supervision.instruct", "supervision.extend_decide"}
    ),
    # review: the 纪检组长 reviews the 销号 of 整改 measures (tasks of other modules) — services/_common.py
    Role.INSPECTOR: frozenset({"supervision.view", "supervision.review"}),
    Role.CLERK: frozenset(
        {
            "supervision.view",
            "supervision.deploy",
            "supervision.assign",
            "supervision.review",
            "supervision.extend_decide",
        }
    ),
    Role.HEAD: frozenset({"supervision.view", "supervision.sign", "supervision.report", "supervision.extend_request"}),
    Role.STAFF: frozenset({"supervision.view", "supervision.sign", "supervision.report", "supervision.extend_request"}),
    Role.SUPERIOR: frozenset({"supervision.view"}),
}
# 作风问题 (慵懒散慢、推诿扯皮…): every cadre of the unit may report one; the 纪检组长 verifies and decides.
for _role in (Role.SECRETARY, Role.LEADER, Role.INSPECTOR, Role.CLERK, Role.HEAD, Role.STAFF):
    _SUPERVISION[_role] = _SUPERVISION[_role] | {"supervision.style_report"}
_SUPERVISION[Role.INSPECTOR] = _SUPERVISION[Role.INSPECTOR] | {"supervision.style_handle"}
# 巡察整改: everyone of the unit sees the rounds they have a part in; the office, the 纪检组长 and the secretary
# keep the 问题清单 and 任务清单.
for _role in (Role.SECRETARY, Role.LEADER, Role.INSPECTOR, Role.CLERK, Role.HEAD, Role.STAFF, Role.SUPERIOR):
    _SUPERVISION[_role] = _SUPERVISION[_role] | {"rectification.view"}
for _role in (Role.SECRETARY, Role.INSPECTOR, Role.CLERK):
    _SUPERVISION[_role] = _SUPERVISION[_role] | {"rectification.manage"}
# 专班: set up by the office (clerk) or the secretary; run by its own leader.
for _role in (Role.SECRETARY, Role.CLERK):
    _SUPERVISION[_role] = _SUPERVISION[_role] | {"supervision.taskforce"}

# 两个责任 (responsibility app): its permission codes per role. Kept by the responsibility module.
# --- responsibility permissions ---
# view: every business role of the unit and the superior (read-only); manage: the office and the secretary write
# the lists, talk rules, 责任书 and 述责述廉 rows; inspect: the 纪检组长 writes the 纪检监督责任清单 only; talk: who
# records talks; sign: who signs a 责任书 and submits a 述责述廉 report of their own.
_RESPONSIBILITY: dict[str, frozenset[str]] = {
    Role.SECRETARY: frozenset(
        {"responsibility.view", "responsibility.manage", "responsibility.talk", "responsibility.sign"}
    ),
    Role.LEADER: frozenset({"responsibility.view", "responsibility.talk", "responsibility.sign"}),
    Role.INSPECTOR: frozenset(
        {"responsibility.view", "responsibility.inspect", "responsibility.talk", "responsibility.sign"}
    ),
    Role.CLERK: frozenset({"responsibility.view", "responsibility.manage", "responsibility.talk"}),
    Role.HEAD: frozenset({"responsibility.view", "responsibility.sign"}),
    Role.STAFF: frozenset({"responsibility.view"}),
    Role.SUPERIOR: frozenset({"responsibility.view"}),
}
# dashboard: the 两个责任 dashboard of a unit (the secretary, the 班子成员, the 纪检组长, the office and the superior;
# not the heads and staff, never the 三员); example: a 班子成员's 以身作则 page (the secretary, the 班子成员, the
# 纪检组长 and the superior: responsibility/selectors_dashboard.py decides whose page each of them opens).
for _role in (Role.SECRETARY, Role.LEADER, Role.INSPECTOR, Role.CLERK, Role.SUPERIOR):
    _RESPONSIBILITY[_role] = _RESPONSIBILITY[_role] | {"responsibility.dashboard"}
for _role in (Role.SECRETARY, Role.LEADER, Role.INSPECTOR, Role.SUPERIOR):
    _RESPONSIBILITY[_role] = _RESPONSIBILITY[_role] | {"responsibility.example"}
# --- end responsibility permissions ---
# 廉政风险、四种形态、廉政档案 (integrity app): its permission codes per role. Kept by the integrity module.
# --- integrity permissions ---
# view: the 廉政建设 section (the register, one's own 档案); risk_manage: the register and its checks; ledger_view:
# the confidential 四种形态 ledger (a superior only of kind 纪委: reads_ledger below); ledger_manage: the 纪检组长
# keeps it; file_submit: one's own filings (the 纪检组长 also for others).
_INTEGRITY_ALL = frozenset({"integrity.view", "integrity.file_submit"})
_INTEGRITY: dict[str, frozenset[str]] = {
    Role.SECRETARY: _INTEGRITY_ALL | {"integrity.risk_manage", "integrity.ledger_view"},
    Role.LEADER: _INTEGRITY_ALL,
    Role.INSPECTOR: _INTEGRITY_ALL | {"integrity.risk_manage", "integrity.ledger_view", "integrity.ledger_manage"},
    Role.CLERK: _INTEGRITY_ALL | {"integrity.risk_manage"},
    Role.HEAD: _INTEGRITY_ALL,
    Role.STAFF: _INTEGRITY_ALL,
    Role.SUPERIOR: frozenset({"integrity.view", "integrity.ledger_view"}),
}
# Who reads the confidential 四种形态 ledger (DESIGN.md): the secretary and the 纪检组长 of their unit, and a superior
# of kind 纪委 over the units below; a 组织部 superior holds the same role code but not this right. The one definition
# read by org/access.py (BusinessScope.confidential) and integrity/selectors.py (can_see_ledger).
LEDGER_ROLES = frozenset({Role.SECRETARY, Role.INSPECTOR})
LEDGER_SUPERIOR_KINDS = frozenset({SuperiorKind.JIWEI})


def reads_ledger(role: str, superior_kind: str = "") -> bool:
    """Whether one role assignment opens the confidential ledger."""
    return role in LEDGER_ROLES or (role == Role.SUPERIOR and superior_kind in LEDGER_SUPERIOR_KINDS)


# --- end integrity permissions ---
# 意识形态工作 (ideology app): its permission codes per role. Kept by the ideology module.
# --- ideology permissions ---
# view: the 意识形态 pages of the unit (every business role; the superior read-only); edit: write a draft on a
# position, record a 校 (文字/政治/事实校对), 初审 as the position's 审核人 or one of its department, and mark it
# published (every business role of the unit: ideology/services/publications.py decides who on which draft);
# review: 复审 by the owner department's head; approve: 终审 by the 班子成员 who 分管s the department or the
# secretary; manage: the office and the secretary keep the 阵地 register and record the 党组's 研判 meetings.
_IDEOLOGY_EDIT = frozenset({"ideology.view", "ideology.edit"})
_IDEOLOGY: dict[str, frozenset[str]] = {
    Role.SECRETARY: _IDEOLOGY_EDIT | {"ideology.manage", "ideology.approve"},
    Role.LEADER: _IDEOLOGY_EDIT | {"ideology.approve"},
    Role.INSPECTOR: _IDEOLOGY_EDIT,
    Role.CLERK: _IDEOLOGY_EDIT | {"ideology.manage"},
    Role.HEAD: _IDEOLOGY_EDIT | {"ideology.review"},
    Role.STAFF: _IDEOLOGY_EDIT,
    Role.SUPERIOR: frozenset({"ideology.view"}),
}
# --- end ideology permissions ---
# 舆情处置 (opinion app): its permission codes per role. Kept by the opinion module.
# --- opinion permissions ---
# view: the 舆情 pages of the unit (every business role; the superior read-only); record: whoever is on duty records
# an incident and its steps and drafts a 回应口径 (every business role of the unit); manage: the office, the secretary
# and the 纪检组长 keep the severity rules and import monitoring exports; approve: the leaders approve a 口径 (the
# incident's responsible leader or the secretary: services/statements.py).
_OPINION_RECORD = frozenset({"opinion.view", "opinion.record"})
_OPINION: dict[str, frozenset[str]] = {
    Role.SECRETARY: _OPINION_RECORD | {"opinion.manage", "opinion.approve"},
    Role.LEADER: _OPINION_RECORD | {"opinion.approve"},
    Role.INSPECTOR: _OPINION_RECORD | {"opinion.manage"},
    Role.CLERK: _OPINION_RECORD | {"opinion.manage"},
    Role.HEAD: _OPINION_RECORD,
    Role.STAFF: _OPINION_RECORD,
    Role.SUPERIOR: frozenset({"opinion.view"}),
}
# --- end opinion permissions ---
# 学习教育 (education app): its permission codes per role. Kept by the education module.
# --- education permissions ---
# view: the 学习教育 pages (every business role; the superior read-only): sessions a user took part in, all of
# the unit's for the secretary, the 纪检组长 and the office; the materials library; one's own study record.
# record: record a study session — the office and the secretary for any branch and the unit's own sessions, anyone
# else only for a branch whose 支部书记 they are (education/services.py decides; no branch led → 403).
# manage: the office and the secretary keep the materials library and name each branch's 支部书记; the 纪检组长
# adds 警示案例 to the library too.
_EDUCATION_RECORD = frozenset({"education.view", "education.record"})
_EDUCATION: dict[str, frozenset[str]] = {
    Role.SECRETARY: _EDUCATION_RECORD | {"education.manage"},
    Role.LEADER: _EDUCATION_RECORD,
    Role.INSPECTOR: _EDUCATION_RECORD | {"education.manage"},
    Role.CLERK: _EDUCATION_RECORD | {"education.manage"},
    Role.HEAD: _EDUCATION_RECORD,
    Role.STAFF: _EDUCATION_RECORD,
    Role.SUPERIOR: frozenset({"education.view"}),
}
# --- end education permissions ---
# 制度与三重一大 (rules app): its permission codes per role. Kept by the rules module.
# --- rules permissions ---
# view: the 制度库, 废改立 and 三重一大 pages of the unit (every business role; the superior read-only); comment: a
# 征求意见 comment on a draft (every business role of the unit); manage: the office and the secretary keep the
# registry, run 废改立 and record 三重一大 decisions; decide: the 党组's approval of a 废改立 (the secretary).
_RULES_ALL = frozenset({"rules.view", "rules.comment"})
_RULES: dict[str, frozenset[str]] = {
    Role.SECRETARY: _RULES_ALL | {"rules.manage", "rules.decide"},
    Role.LEADER: _RULES_ALL,
    Role.INSPECTOR: _RULES_ALL,
    Role.CLERK: _RULES_ALL | {"rules.manage"},
    Role.HEAD: _RULES_ALL,
    Role.STAFF: _RULES_ALL,
    Role.SUPERIOR: frozenset({"rules.view"}),
}
# --- end rules permissions ---
for _block in (_RESPONSIBILITY, _INTEGRITY, _IDEOLOGY, _OPINION, _EDUCATION, _RULES):
    for _role, _codes in _block.items():
        _SUPERVISION[_role] = _SUPERVISION.get(_role, frozenset()) | _codes

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SECRETARY: frozenset({"workbench.view"}) | _SUPERVISION[Role.SECRETARY],
    Role.LEADER: frozenset({"workbench.view"}) | _SUPERVISION[Role.LEADER],
    Role.INSPECTOR: frozenset({"workbench.view"}) | _SUPERVISION[Role.INSPECTOR],
    Role.CLERK: frozenset({"workbench.view"}) | _SUPERVISION[Role.CLERK],
    Role.HEAD: frozenset({"workbench.view"}) | _SUPERVISION[Role.HEAD],
    Role.STAFF: frozenset({"workbench.view"}) | _SUPERVISION[Role.STAFF],
    Role.SUPERIOR: frozenset({"workbench.view"}) | _SUPERVISION[Role.SUPERIOR],
    Role.SYSADMIN: frozenset({"workbench.view", "org.manage", "calendar.manage"}),
    Role.SECADMIN: frozenset({"workbench.view", "roles.manage", "security.view"}),
    Role.AUDITOR: frozenset({"workbench.view", "audit.view", "audit.export", "audit.verify"}),
}
