from django.urls import path

from qingfeng.core import navigation
from qingfeng.responsibility.views import dashboard, letters, lists, talks

app_name = "responsibility"

urlpatterns = [
    path("", lists.list_index, name="list_index"),
    path("lists/new/", lists.list_new, name="list_new"),
    path("lists/copy/", lists.lists_copy, name="lists_copy"),
    path("lists/<int:pk>/", lists.list_detail, name="list_detail"),
    path("lists/<int:pk>/items/", lists.item_new, name="item_new"),
    path("lists/<int:pk>/publish/", lists.list_publish, name="list_publish"),
    path("lists/<int:pk>/import/", lists.list_import, name="list_import"),
    path("lists/<int:pk>/export.xlsx", lists.list_export, name="list_export"),
    path("items/<int:pk>/edit/", lists.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", lists.item_delete, name="item_delete"),
    path("letters/", letters.letter_list, name="letter_list"),
    path("letters/prepare/", letters.letters_prepare, name="letters_prepare"),
    path("letters/<int:pk>/docx/", letters.letter_docx, name="letter_docx"),
    path("letters/<int:pk>/sign/", letters.letter_sign, name="letter_sign"),
    path("talks/", talks.talk_list, name="talk_list"),
    path("talks/new/", talks.talk_new, name="talk_new"),
    path("talks/compliance/", talks.compliance, name="compliance"),
    path("talks/rules/", talks.rules, name="rules"),
    path("talks/rules/<int:pk>/disable/", talks.rule_disable, name="rule_disable"),
    path("talks/<int:pk>/", talks.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/follow-up/", talks.talk_follow_up, name="talk_follow_up"),
    path("reports/", letters.report_list, name="report_list"),
    path("reports/assign/", letters.reports_assign, name="reports_assign"),
    path("reports/export.xlsx", letters.report_export, name="report_export"),
    path("reports/<int:pk>/", letters.report_detail, name="report_detail"),
    path("reports/<int:pk>/score/", letters.report_score, name="report_score"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("leaders/<int:pk>/", dashboard.example, name="example"),
    path("leaders/mine/", dashboard.example_mine, name="example_mine"),
]

SECTION = "两个责任"
navigation.register(
    SECTION, "两个责任看板", "responsibility:dashboard", "responsibility.dashboard", prefix="responsibility:dashboard"
)
navigation.register(
    SECTION, "责任清单", "responsibility:list_index", "responsibility.view", prefix="responsibility:list"
)
navigation.register(
    SECTION, "责任书", "responsibility:letter_list", "responsibility.view", prefix="responsibility:letter"
)
navigation.register(
    SECTION, "谈话记录", "responsibility:talk_list", "responsibility.view", prefix="responsibility:talk"
)
navigation.register(
    SECTION, "谈话落实情况", "responsibility:compliance", "responsibility.talk", prefix="responsibility:compliance"
)
navigation.register(
    SECTION, "述责述廉", "responsibility:report_list", "responsibility.view", prefix="responsibility:report"
)
navigation.register(
    SECTION,
    "以身作则",
    "responsibility:example_mine",
    "responsibility.example",
    prefix="responsibility:example",
    when=lambda user: bool(getattr(getattr(user, "person", None), "is_leadership", False)),
)
