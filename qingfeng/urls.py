"""The URL map. Each app's pages under its own prefix; the API under /api/v1/."""

from django.urls import include, path

from qingfeng.api import api
from qingfeng.core.views import health
from qingfeng.org.views import auth

urlpatterns = [
    path("login/", auth.login_page, name="login"),
    path("logout/", auth.logout_page, name="logout"),
    path("password/", auth.password_change_page, name="password_change"),
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("org/", include("qingfeng.org.urls")),
    path("supervision/", include("qingfeng.supervision.urls")),
    path("rectification/", include("qingfeng.rectification.urls")),
    path("responsibility/", include("qingfeng.responsibility.urls")),
    path("integrity/", include("qingfeng.integrity.urls")),
    path("ideology/", include("qingfeng.ideology.urls")),
    path("opinion/", include("qingfeng.opinion.urls")),
    path("education/", include("qingfeng.education.urls")),
    path("rules/", include("qingfeng.rules.urls")),
    path("", include("qingfeng.core.urls")),
]

handler400 = "qingfeng.core.views.errors.bad_request"
handler403 = "qingfeng.core.views.errors.forbidden"
handler404 = "qingfeng.core.views.errors.not_found"
handler500 = "qingfeng.core.views.errors.server_error"
