from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "qingfeng.integrity"
    label = "integrity"
    verbose_name = "廉政风险与廉政档案"

    def ready(self) -> None:
        from django.core import checks

        from qingfeng.integrity.ledger_crypto import check_ledger_key

        checks.register(check_ledger_key, "integrity")

        from qingfeng.core import workbench
        from qingfeng.integrity.workbench import provider

        workbench.register(provider)
