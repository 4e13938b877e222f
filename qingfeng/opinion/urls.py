from django.urls import path

from qingfeng.core import navigation
from qingfeng.opinion.views import incidents, setup

app_name = "opinion"

urlpatterns = [
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/new/", incidents.incident_new, name="incident_new"),
    path("incidents/suggest/", incidents.suggest, name="suggest"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/steps/", incidents.incident_step, name="incident_step"),
    path("incidents/<int:pk>/screenshots/", incidents.incident_attach, name="incident_attach"),
    path("incidents/<int:pk>/statements/", incidents.statement_new, name="statement_new"),
    path("statements/<int:pk>/edit/", incidents.statement_edit, name="statement_edit"),
    path("statements/<int:pk>/approve/", incidents.statement_approve, name="statement_approve"),
    path("statements/<int:pk>/release/", incidents.statement_release, name="statement_release"),
    path("dashboard/", incidents.dashboard, name="dashboard"),
    path("rules/", setup.rule_list, name="rule_list"),
    path("rules/<int:pk>/edit/", setup.rule_edit, name="rule_edit"),
    path("imports/", setup.import_page, name="import"),
    path("imports/<int:pk>/", setup.import_preview, name="import_preview"),
    path("imports/<int:pk>/confirm/", setup.import_confirm, name="import_confirm"),
]

# The section 意识形态 is shared with the ideology app, which registers its own entries there.
navigation.register("意识形态", "舆情事件", "opinion:incident_list", "opinion.view", prefix="opinion:incident")
navigation.register("意识形态", "舆情看板", "opinion:dashboard", "opinion.view", prefix="opinion:dashboard")
navigation.register("意识形态", "监测导入", "opinion:import", "opinion.manage", prefix="opinion:import")
navigation.register("意识形态", "研判规则", "opinion:rule_list", "opinion.manage", prefix="opinion:rule")
