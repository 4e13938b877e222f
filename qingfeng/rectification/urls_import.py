from django.urls import path

from qingfeng.rectification.views import importing

urlpatterns: list = [
    path("rounds/<int:pk>/import/", importing.round_import, name="round_import"),
    path("import/template/", importing.import_template, name="import_template"),
]
