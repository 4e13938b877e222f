from django.urls import path

from qingfeng.core import navigation
from qingfeng.education import views

app_name = "education"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("compliance/", views.compliance, name="compliance"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/makeup/", views.session_makeup, name="session_makeup"),
    path("sessions/<int:pk>/photos/", views.session_photo, name="session_photo"),
    path("branches/", views.branch_list, name="branch_list"),
    path("branches/<int:pk>/secretary/", views.branch_secretary, name="branch_secretary"),
    path("materials/", views.material_list, name="material_list"),
    path("materials/new/", views.material_new, name="material_new"),
    path("materials/<int:pk>/", views.material_detail, name="material_detail"),
    path("record/", views.my_record, name="my_record"),
    path("people/<int:pk>/", views.person_record, name="person_record"),
    path("exports/ledger/", views.ledger, name="ledger"),
    path("exports/record-book/", views.record_book, name="record_book"),
]

navigation.register("学习教育", "学习看板", "education:dashboard", "education.view", prefix="education:dashboard")
navigation.register("学习教育", "学习会议", "education:session_list", "education.view", prefix="education:session")
navigation.register("学习教育", "落实情况", "education:compliance", "education.view", prefix="education:compliance")
navigation.register("学习教育", "学习资料库", "education:material_list", "education.view", prefix="education:material")
navigation.register("学习教育", "我的学习档案", "education:my_record", "education.view", prefix="education:my_record")
navigation.register("学习教育", "支部书记", "education:branch_list", "education.manage", prefix="education:branch")
