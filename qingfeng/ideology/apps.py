from django.apps import AppConfig


class IdeologyConfig(AppConfig):
    name = "qingfeng.ideology"
    label = "ideology"
    verbose_name = "意识形态工作"
