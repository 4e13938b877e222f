from django.urls import path

from qingfeng.rectification.views import ledger

urlpatterns: list = [
    path("rounds/<int:pk>/ledger/", ledger.ledger_page, name="ledger"),
    path("rounds/<int:pk>/ledger.xlsx", ledger.ledger_export, name="ledger_export"),
    path("rounds/<int:pk>/report.docx", ledger.report_export, name="report"),
]
