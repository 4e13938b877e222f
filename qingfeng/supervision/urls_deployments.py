from django.urls import path

from qingfeng.core import navigation
from qingfeng.supervision.views import deployments

urlpatterns = [
    path("deployments/", deployments.deployment_list, name="deployment_list"),
    path("deployments/new/", deployments.deployment_create_view, name="deployment_create"),
    path("deployments/<int:pk>/", deployments.deployment_detail, name="deployment_detail"),
    path("deployments/<int:pk>/review/", deployments.deployment_review, name="deployment_review"),
    path("deployments/<int:pk>/export/", deployments.deployment_export, name="deployment_export"),
]

navigation.register(
    "督查督办", "工作部署", "supervision:deployment_list", "supervision.view", prefix="supervision:deployment"
)
