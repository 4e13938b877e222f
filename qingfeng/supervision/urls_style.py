from django.urls import path

from qingfeng.core import navigation
from qingfeng.supervision.views import style

urlpatterns = [
    path("style/", style.style_list, name="style_list"),
    path("style/new/", style.style_new, name="style_new"),
    path("style/<int:pk>/", style.style_detail, name="style_detail"),
    path("style/<int:pk>/verify/", style.style_verify, name="style_verify"),
    path("style/<int:pk>/link/", style.style_link, name="style_link"),
    path("style/<int:pk>/close/", style.style_close, name="style_close"),
]

navigation.register("督查督办", "作风问题", "supervision:style_list", "supervision.view", prefix="supervision:style")
