from django.urls import path

from qingfeng.core import navigation
from qingfeng.ideology import views

app_name = "ideology"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("positions/", views.position_list, name="position_list"),
    path("positions/new/", views.position_new, name="position_new"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/<int:pk>/delete/", views.position_delete, name="position_delete"),
    path("publications/", views.publication_list, name="publication_list"),
    path("publications/new/", views.publication_new, name="publication_new"),
    path("publications/<int:pk>/", views.publication_detail, name="publication_detail"),
    path("publications/<int:pk>/review/", views.publication_review, name="publication_review"),
    path("publications/<int:pk>/proof/", views.publication_proof, name="publication_proof"),
    path("publications/<int:pk>/publish/", views.publication_publish, name="publication_publish"),
    path("publications/<int:pk>/resubmit/", views.publication_resubmit, name="publication_resubmit"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/tasks/", views.meeting_task, name="meeting_task"),
]

# The section "意识形态"; the opinion app adds its 舆情处置 entries to it.
navigation.register("意识形态", "阵地管理", "ideology:position_list", "ideology.view", prefix="ideology:position")
navigation.register("意识形态", "发布审核", "ideology:publication_list", "ideology.view", prefix="ideology:publication")
navigation.register("意识形态", "研判会议", "ideology:meeting_list", "ideology.view", prefix="ideology:meeting")
navigation.register("意识形态", "意识形态看板", "ideology:dashboard", "ideology.view", prefix="ideology:dashboard")
