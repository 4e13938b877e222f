from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "qingfeng.education"
    label = "education"
    verbose_name = "学习教育"
