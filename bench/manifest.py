"""The manifest of a generated data set (`qingfeng scale-data --manifest PATH`): which accounts to log in as and
which objects the page cases open. `--manifest FILE` gives one by hand; `--size none` without one builds it from
the demo data (the demo accounts and the demo bureau's deployment and round):

    python -m bench.manifest demo OUT.json     # in the bench environment, after `demo`

The shape (format qingfeng-scale/1):

    {"format": "qingfeng-scale/1", "seed": 1, "size": "small", "now": "2026-11-25T10:00:00+08:00",
     "password": "…", "counts": {…}, "seconds": {…},
     "logins": {"secretary": "u…", "leader": …, "inspector": …, "clerk": …, "head": …, "staff": …, "city": …,
                "jiwei": …},
     "user_ids": {same keys: User pk}, "person_ids": {same keys: Person pk; jiwei: null},
     "pages": {"unit": pk, "department": pk, "deployment": pk, "round": pk, "file_person": Person pk}}

(jiwei and file_person since issue 7: the city's 上级 of kind 纪委 and a 班子成员 with a full 廉政档案; a manifest
without them still loads, the pages needing them are skipped.)
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "qingfeng-scale/1"
ROLES = ("secretary", "leader", "inspector", "clerk", "head", "staff", "city")
PAGE_KEYS = ("unit", "department", "deployment", "round")
# The demo account standing in for each manifest role when the data is the demo's (city: the demo's clerk has
# no grant over sub-units; the 上级 account has, but it has no Person and another role; jiwei: the city's 纪委,
# the demo's 上级 being of kind 纪委).
DEMO_STAND_INS = {role: role for role in ROLES} | {"city": "superior", "jiwei": "superior"}


class ManifestError(ValueError):
    pass


@dataclass
class Manifest:
    size: Any  # the preset's name, or (scale-data) its figures: {"units": …, "tasks": …}
    now: str
    password: str
    logins: dict[str, str]
    user_ids: dict[str, int]
    person_ids: dict[str, int | None]
    pages: dict[str, int]
    seed: int | None = None
    counts: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # where it came from: "scale-data", a file name, "demo"

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str) -> Manifest:
        if data.get("format") != FORMAT:
            raise ManifestError(f"不是 {FORMAT} 格式的清单（format = {data.get('format')!r}）")
        missing = [k for k in ("size", "now", "password", "logins", "user_ids", "person_ids", "pages") if k not in data]
        if missing:
            raise ManifestError(f"清单缺少字段：{', '.join(missing)}")
        logins = {str(k): str(v) for k, v in data["logins"].items()}
        absent = [r for r in ("leader", "head", "clerk", "city") if r not in logins]
        if absent:
            raise ManifestError(f"清单 logins 缺少角色：{', '.join(absent)}")
        pages = {str(k): int(v) for k, v in data["pages"].items() if v is not None}
        absent = [k for k in PAGE_KEYS if k not in pages]
        if absent:
            raise ManifestError(f"清单 pages 缺少：{', '.join(absent)}")
        return cls(
            size=data["size"],
            now=str(data["now"]),
            password=str(data["password"]),
            logins=logins,
            user_ids={str(k): int(v) for k, v in data["user_ids"].items()},
            person_ids={str(k): (int(v) if v is not None else None) for k, v in data["person_ids"].items()},
            pages=pages,
            seed=data.get("seed"),
            counts=dict(data.get("counts") or {}),
            seconds=dict(data.get("seconds") or {}),
            source=source,
        )

    @classmethod
    def load(cls, path: Path, source: str | None = None) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ManifestError(f"无法读取清单 {path}：{exc}") from exc
        if not isinstance(data, dict):
            raise ManifestError(f"{path} 不是 JSON 对象")
        return cls.from_dict(data, source or str(path))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "seed": self.seed,
            "size": self.size,
            "now": self.now,
            "password": self.password,
            "counts": self.counts,
            "seconds": self.seconds,
            "logins": self.logins,
            "user_ids": self.user_ids,
            "person_ids": self.person_ids,
            "pages": self.pages,
        }

    def summary(self) -> dict[str, Any]:
        """What the result file keeps of it (no password)."""
        return {
            "source": self.source,
            "size": self.size,
            "seed": self.seed,
            "now": self.now,
            "counts": self.counts,
            "seconds": self.seconds,
            "logins": self.logins,
            "pages": self.pages,
        }


def demo_manifest_data() -> dict[str, Any]:
    """A manifest of the demo data (Django set up, `demo` run): the demo accounts, the demo bureau, the head's
    department, the bureau's deployment with the most tasks and its first round."""
    from django.db.models import Count
    from django.utils import timezone

    from qingfeng.org import demo
    from qingfeng.rectification.models import Round
    from qingfeng.supervision.models import Deployment

    cast = demo.load()
    bureau = cast.bureau
    users = {role: cast.users[name] for role, name in DEMO_STAND_INS.items() if name in cast.users}
    deployment = (
        Deployment.objects.filter(unit=bureau)
        .annotate(n=Count("tasks"))
        .order_by("-n", "id")
        .values_list("pk", flat=True)
    ).first()
    round_ = Round.objects.filter(unit=bureau).order_by("id").values_list("pk", flat=True).first()
    head = users["head"]
    return {
        "format": FORMAT,
        "seed": None,
        "size": "demo",
        "now": timezone.localtime().isoformat(timespec="seconds"),
        "password": demo.DEMO_PASSWORD,
        "counts": {},
        "seconds": {},
        "logins": {role: u.username for role, u in users.items()},
        "user_ids": {role: u.pk for role, u in users.items()},
        "person_ids": {role: getattr(u, "person_id", None) for role, u in users.items()},
        "pages": {
            "unit": bureau.pk,
            "department": head.person.department_id,
            "deployment": deployment,
            "round": round_,
            "file_person": users["leader"].person_id,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.manifest", description="从演示数据写出压测清单")
    parser.add_argument("what", choices=["demo"])
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)

    import django

    django.setup()
    data = demo_manifest_data()
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"已写出演示数据清单 {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
