"""Queries per page: each page case opened in-process with django.test.Client (force_login, DEBUG off as served),
counted with CaptureQueriesContext, for the manifest's viewer and for the same role in the small demo bureau (the
demo account of that role, the demo's department, deployment and round). A page whose count grows with the
rows it shows differs between the two by far more than a few queries.

    python -m bench.queries MANIFEST.json

Each page is requested twice per viewer and the second request counted (the first fills per-process caches:
content types, the calendar). The last line is `RESULT {json}`: per "page/role" the two counts, statuses and
response sizes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def count(client: Any, path: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return {"queries": len(captured.captured_queries), "status": response.status_code, "bytes": len(response.content)}


def counterpart(viewer: Any, fallback_pk: int) -> Any:
    """The demo account holding the viewer's (widest) role, in the small demo bureau: the demo accounts are named
    after their role codes (a city-wide 督查专员 → the demo bureau's clerk; the demo's 上级 → itself)."""
    from qingfeng.org.models import RoleAssignment, User

    grants = RoleAssignment.objects.filter(user=viewer, revoked_at__isnull=True).select_related("unit")
    widest = min(grants, key=lambda a: (not a.include_subunits, len(a.unit.path)), default=None)
    if widest is not None:
        same = User.objects.filter(username=widest.role).first()
        if same is not None:
            return same
    return User.objects.get(pk=fallback_pk)


def measure(manifest: dict[str, Any]) -> dict[str, Any]:
    from django.test import Client

    from bench.manifest import demo_manifest_data
    from bench.pages import PAGES
    from qingfeng.org.models import User

    demo = demo_manifest_data()
    out: dict[str, Any] = {"pages": {}}
    for page in PAGES:
        for role in page.roles:
            key = f"{page.key}/{role}"
            entry: dict[str, Any] = {}
            viewer: Any = None
            for label, data, who in (("scale", manifest, role), ("demo", demo, role)):
                try:
                    if label == "scale":
                        user = User.objects.get(pk=data["user_ids"][who])
                        viewer = user
                    else:
                        user = counterpart(viewer, demo["user_ids"][who])
                    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
                    client.force_login(user)
                    entry[label] = {
                        "user": user.username,
                        "path": page.path(data["pages"]),
                        **count(client, page.path(data["pages"])),
                    }
                except Exception as exc:  # noqa: BLE001 - one page failing is reported, the others go on
                    entry[label] = {"error": f"{type(exc).__name__}: {exc}"}
            out["pages"][key] = entry
            scale, small = entry.get("scale", {}), entry.get("demo", {})
            print(
                f"查询数 {key}：{scale.get('queries', '—')}（{scale.get('user', '?')}，HTTP {scale.get('status', '—')}）"
                f" / 演示单位 {small.get('queries', '—')}（{small.get('user', '?')}，HTTP {small.get('status', '—')}）",
                flush=True,
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path)
    args = parser.parse_args(argv)

    import django

    django.setup()
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    print("RESULT " + json.dumps(measure(manifest), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
