"""How much to generate: the presets and the command's overrides."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Size:
    units: int
    people: int
    tasks: int  # every 督办事项, the 整改 measures' own tasks included
    findings: int
    audit: int

    # 两个责任 and 廉政建设 follow the people: at 30,000 people, 200,000 filings (one 廉政档案 each), 20,000 ledger
    # records and 50,000 risk points (issue 7).
    @property
    def filings(self) -> int:
        return self.people * 20 // 3

    @property
    def ledger(self) -> int:
        return self.people * 2 // 3

    @property
    def risks(self) -> int:
        return self.people * 5 // 3

    # 舆情 incidents follow the tasks: a tenth (full: 100,000 over five years; tiny: 600) (issue 8).
    @property
    def incidents(self) -> int:
        return self.tasks // 10

    def scaled(self, **overrides: int | None) -> Size:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


PRESETS: dict[str, Size] = {
    # CI: seconds. Enough units for a county under the city, enough tasks for every status and colour.
    "tiny": Size(units=12, people=600, tasks=6_000, findings=600, audit=10_000),
    # SQLite on a developer's machine: a tenth of a city.
    "small": Size(units=30, people=3_000, tasks=100_000, findings=20_000, audit=200_000),
    # A city: 300 units, 30,000 people, five years of work.
    "full": Size(units=300, people=30_000, tasks=1_000_000, findings=200_000, audit=2_000_000),
}

MEASURES_PER_FINDING = 1.2
FINDINGS_PER_ROUND = 40


def check(size: Size) -> list[str]:
    """What is wrong with a size, in Chinese (empty when it can be generated)."""
    problems = []
    if size.units < 3:
        problems.append("单位数至少为 3（市、县、局各一）")
    if size.people < size.units * 12:
        problems.append(f"人数至少为单位数的 12 倍（{size.units * 12}），每个局要有班子和各科室人员")
    if size.tasks < 10:
        problems.append("任务数至少为 10")
    if size.findings * MEASURES_PER_FINDING > size.tasks * 0.5:
        problems.append("整改措施（问题数 × 1.2）不能超过任务数的一半：每条措施都是一项督办事项")
    if min(size.units, size.people, size.tasks, size.findings, size.audit) < 0:
        problems.append("数量不能为负")
    return problems
