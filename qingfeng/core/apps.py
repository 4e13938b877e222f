from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qingfeng.core"
    label = "core"
    verbose_name = "平台"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from qingfeng.core.calendar import forget_overrides
        from qingfeng.core.models import HolidayOverride

        post_save.connect(forget_overrides, sender=HolidayOverride, dispatch_uid="calendar-overrides-save")
        post_delete.connect(forget_overrides, sender=HolidayOverride, dispatch_uid="calendar-overrides-delete")
