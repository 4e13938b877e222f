from django.urls import path

from qingfeng.core import navigation
from qingfeng.rules import views

app_name = "rules"

urlpatterns = [
    path("", views.rule_list, name="rule_list"),
    path("new/", views.rule_new, name="rule_new"),
    path("<int:pk>/", views.rule_detail, name="rule_detail"),
    path("<int:pk>/revise/", views.rule_revise, name="rule_revise"),
    path("<int:pk>/diff/", views.rule_diff, name="rule_diff"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/step/", views.proposal_step, name="proposal_step"),
    path("proposals/<int:pk>/comment/", views.proposal_comment, name="proposal_comment"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/problems/", views.problem_list, name="problem_list"),
    path("decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/prepare/", views.decision_prepare, name="decision_prepare"),
    path("decisions/<int:pk>/meeting/", views.decision_meeting, name="decision_meeting"),
    path("decisions/<int:pk>/opinion/", views.decision_opinion, name="decision_opinion"),
    path("decisions/<int:pk>/conclude/", views.decision_conclude, name="decision_conclude"),
]

navigation.register("制度建设", "制度库", "rules:rule_list", "rules.view", prefix="rules:rule")
navigation.register("制度建设", "废改立", "rules:proposal_list", "rules.view", prefix="rules:proposal")
navigation.register("制度建设", "三重一大", "rules:decision_list", "rules.view", prefix="rules:decision")
navigation.register("制度建设", "程序检查", "rules:problem_list", "rules.view", prefix="rules:problem")
