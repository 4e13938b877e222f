"""The pages the scale cases time, shared by the latency runner, the raw-SQL floor and the query counter: each page's
path (from the manifest's objects) and the manifest roles that open it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    key: str
    label: str  # Chinese, for the printed lines
    roles: tuple[str, ...]  # manifest roles (keys of "logins")
    template: str  # the path, formatted with the manifest's "pages"
    p95_ms: float = 200.0  # the target at 10 users (bench.targets)
    # A page still being built: while its route answers 404 (or the manifest lacks its object) the case is skipped
    # with a line saying so, instead of failing the run.
    optional: bool = False

    @property
    def case(self) -> str:
        return f"page-{self.key}"

    def path(self, pages: dict[str, int]) -> str:
        return self.template.format(**pages)


# The task list with the two filters it really has that cut both ways: a status and a responsible department (and,
# for a city's scope, the unit first: its 科室 list holds the chosen unit's departments; a bureau's form has no unit
# field and ignores it).
PAGES: tuple[Page, ...] = (
    Page("workbench", "我的工作台", ("leader", "head", "clerk"), "/"),
    Page(
        "tasks",
        "督办事项（办理中 + 责任科室）",
        ("clerk", "city"),
        "/supervision/tasks/?unit={unit}&status=in_progress&department={department}",
    ),
    Page("deployment", "工作部署看板", ("clerk",), "/supervision/deployments/{deployment}/"),
    Page("board", "督办看板", ("leader", "city"), "/supervision/board/"),
    Page("ledger", "整改台账", ("clerk",), "/rectification/rounds/{round}/ledger/"),
    Page("overview", "单位总览", ("leader", "city"), "/supervision/overview/"),
    # 两个责任 and 廉政建设 (issue 7): a 班子成员's 廉政档案 as the 纪检组长 and as the person; the 四种形态 statistics
    # over every record of the city as its 纪委; the unit's 两个责任 dashboard.
    Page("file", "廉政档案（个人）", ("inspector", "leader"), "/integrity/files/{file_person}/"),
    Page("ledger_stats", "四种形态统计（全部记录）", ("jiwei",), "/integrity/ledger/stats/", p95_ms=500.0),
    Page("dashboard", "两个责任看板", ("secretary", "leader"), "/responsibility/dashboard/", optional=True),
    # 舆情处置 (issue 8): the 舆情看板 of a bureau's secretary (the unit's incidents) and of the city's 纪委 (every
    # unit's: 100,000 incidents at the full size).
    Page("opinion", "舆情看板", ("secretary", "jiwei"), "/opinion/dashboard/"),
)
PAGE_BY_KEY = {p.key: p for p in PAGES}


def label_of(key: str) -> str:
    page = PAGE_BY_KEY.get(key)
    return page.label if page else key
