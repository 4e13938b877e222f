from django.apps import AppConfig


class OpinionConfig(AppConfig):
    name = "qingfeng.opinion"
    label = "opinion"
    verbose_name = "舆情处置"

    def ready(self) -> None:
        from django.core import checks

        from qingfeng.opinion.services.clocks import check_limits

        checks.register(check_limits, "opinion")
