from django.urls import path

from qingfeng.core import navigation
from qingfeng.supervision.views import taskforces

urlpatterns = [
    path("taskforces/", taskforces.taskforce_list, name="taskforce_list"),
    path("taskforces/new/", taskforces.taskforce_new, name="taskforce_new"),
    path("taskforces/<int:pk>/", taskforces.taskforce_detail, name="taskforce_detail"),
    path("taskforces/<int:pk>/milestones/", taskforces.milestone_add, name="milestone_add"),
    path("taskforces/<int:pk>/milestones/done/", taskforces.milestone_done, name="milestone_done"),
    path("taskforces/<int:pk>/tasks/", taskforces.taskforce_attach, name="taskforce_attach"),
]

navigation.register(
    "督查督办", "专班推进", "supervision:taskforce_list", "supervision.view", prefix="supervision:taskforce"
)
