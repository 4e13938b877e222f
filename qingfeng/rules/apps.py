from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "qingfeng.rules"
    label = "rules"
    verbose_name = "制度与三重一大"
