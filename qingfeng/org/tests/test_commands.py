from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from qingfeng.org.models import Unit


def test_demo_is_idempotent_and_prints_the_logins(cast, capsys) -> None:
    units = Unit.objects.count()
    call_command("demo")
    out = capsys.readouterr().out
    assert "已存在" in out and "Qingfeng@2023" in out and "secadmin" in out
    assert Unit.objects.count() == units


def test_demo_accounts_are_marked_and_skip_the_first_password_change(cast) -> None:
    head = cast.users["head"]
    assert head.is_demo and not head.must_change_password


def test_demo_refuses_in_production(cast, settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产模式"):
        call_command("demo")


def test_bootstrap_refuses_a_database_that_has_data(cast) -> None:
    with pytest.raises(CommandError, match="空库"):
        call_command("bootstrap", unit_name="X", unit_code="X")


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="它总在自己的 SQLite 库上运行：SQLite 那一轮已覆盖 (always on a SQLite database of its own: the SQLite run has it)",
)
def test_bootstrap_creates_the_three_admins_with_one_time_passwords(tmp_path) -> None:
    """End to end through the console script, on a fresh SQLite database of its own."""
    env = {**os.environ, "QINGFENG_DATA_DIR": str(tmp_path), "DATABASE_URL": "", "QINGFENG_AUDIT_KEY": "11" * 32}
    qingfeng = [sys.executable, "-m", "qingfeng"]
    subprocess.run([*qingfeng, "migrate", "-v0"], env=env, check=True, timeout=120)
    out = subprocess.run(
        [*qingfeng, "bootstrap", "--unit-name", "清河县住房和城乡建设局", "--unit-code", "QH-ZJJ", "--prefix", "qh-"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert out.count("一次性密码") == 4  # the heading and one per account
    for name in ("qh-sysadmin", "qh-secadmin", "qh-auditor"):
        assert name in out
    again = subprocess.run(
        [*qingfeng, "bootstrap", "--unit-name", "X", "--unit-code", "X"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode != 0 and "空库" in again.stderr
    verify = subprocess.run([*qingfeng, "audit-verify"], env=env, capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0 and "校验通过" in verify.stdout
