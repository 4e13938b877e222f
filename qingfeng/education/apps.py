from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Each kind's frequency must make whole periods of the year (settings.py, the education block)."""
    from django.conf import settings
    from django.core import checks

    from qingfeng.education.kinds import MONTHS_ALLOWED

    errors = [
        checks.Error(
            f"QINGFENG_EDUCATION_{code.upper()}_MONTHS={value}：须为 0、1、2、3、4、6 或 12（0 为不作要求）",
            id="education.E001",
        )
        for code, value in settings.EDUCATION_MONTHS.items()
        if value not in MONTHS_ALLOWED
    ]
    if not 0 <= settings.EDUCATION_REMIND_DAYS <= 90:
        errors.append(
            checks.Error(
                f"QINGFENG_EDUCATION_REMIND_DAYS={settings.EDUCATION_REMIND_DAYS}：须在 0 到 90 之间",
                id="education.E001",
            )
        )
    return errors


class EducationConfig(AppConfig):
    name = "qingfeng.education"
    label = "education"
    verbose_name = "学习教育"

    def ready(self) -> None:
        from django.core import checks

        checks.register(check_settings, "education")
