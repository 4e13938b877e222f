from django.apps import AppConfig


class ResponsibilityConfig(AppConfig):
    name = "qingfeng.responsibility"
    label = "responsibility"
    verbose_name = "两个责任"
