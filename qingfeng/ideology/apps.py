from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """The 研判 frequencies must make whole periods of the year (settings.py, the ideology block)."""
    from django.conf import settings
    from django.core import checks

    from qingfeng.ideology.services.meetings import ANALYSIS_MONTHS_ALLOWED

    errors = []
    if settings.IDEOLOGY_ANALYSIS_MONTHS not in ANALYSIS_MONTHS_ALLOWED:
        errors.append(
            checks.Error(
                f"QINGFENG_IDEOLOGY_ANALYSIS_MONTHS={settings.IDEOLOGY_ANALYSIS_MONTHS}：须为 1、2、3、4、6 或 12（把一年分成整数个周期）",
                id="ideology.E001",
            )
        )
    if not 1 <= settings.IDEOLOGY_STUDY_PER_YEAR <= 12:
        errors.append(
            checks.Error(
                f"QINGFENG_IDEOLOGY_STUDY_PER_YEAR={settings.IDEOLOGY_STUDY_PER_YEAR}：须在 1 到 12 之间",
                id="ideology.E001",
            )
        )
    if not 0 <= settings.IDEOLOGY_REMIND_DAYS <= 90:
        errors.append(
            checks.Error(
                f"QINGFENG_IDEOLOGY_REMIND_DAYS={settings.IDEOLOGY_REMIND_DAYS}：须在 0 到 90 之间", id="ideology.E001"
            )
        )
    return errors


class IdeologyConfig(AppConfig):
    name = "qingfeng.ideology"
    label = "ideology"
    verbose_name = "意识形态工作"

    def ready(self) -> None:
        from django.core import checks

        checks.register(check_settings, "ideology")
