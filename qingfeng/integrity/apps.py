from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "qingfeng.integrity"
    label = "integrity"
    verbose_name = "廉政风险与廉政档案"
