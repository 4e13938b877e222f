from django.urls import path

from qingfeng.core import navigation
from qingfeng.core.views import audit_log, files, holidays, home, notifications

app_name = "core"

urlpatterns = [
    path("", home.workbench_page, name="workbench"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification_read_all"),
    path("files/<int:pk>/", files.attachment_download, name="attachment_download"),
    path("audit/", audit_log.audit_list, name="audit_list"),
    path("audit/export/", audit_log.audit_export, name="audit_export"),
    path("audit/verify/", audit_log.audit_verify, name="audit_verify"),
    path("calendar/", holidays.holiday_list, name="holidays"),
    path("calendar/<int:pk>/delete/", holidays.holiday_delete, name="holiday_delete"),
]

navigation.register("系统管理", "节假日", "core:holidays", "calendar.manage", prefix="core:holidays")
navigation.register("安全审计", "审计日志", "core:audit_list", "audit.view", prefix="core:audit")
