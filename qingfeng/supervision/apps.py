from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qingfeng.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from qingfeng.core import workbench
        from qingfeng.supervision.workbench import provider

        workbench.register(provider)
