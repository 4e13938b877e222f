from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "qingfeng.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from qingfeng.org import signals  # noqa: F401  (log-in / log-out audit events)
