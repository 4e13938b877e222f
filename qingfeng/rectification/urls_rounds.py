from django.urls import path

from qingfeng.core import navigation
from qingfeng.rectification.views import checks, recheck, rounds

urlpatterns = [
    path("", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/findings/", rounds.finding_new, name="finding_new"),
    path("findings/<int:pk>/measures/", rounds.measure_new, name="measure_new"),
    path("measures/<int:pk>/recheck/schedule/", recheck.measure_recheck_schedule, name="measure_recheck_schedule"),
    path("measures/<int:pk>/recheck/", recheck.measure_recheck, name="measure_recheck"),
    path("findings/<int:pk>/checks/", checks.finding_check, name="finding_check"),
]

navigation.register(
    "巡察整改", "整改轮次", "rectification:round_list", "rectification.view", prefix="rectification:round"
)
