from django.urls import path

from qingfeng.core import navigation
from qingfeng.integrity import selectors
from qingfeng.integrity.views import files, ledger, risks

app_name = "integrity"

urlpatterns = [
    path("risks/", risks.risk_list, name="risk_list"),
    path("risks/new/", risks.risk_new, name="risk_new"),
    path("risks/export.xlsx", risks.risk_export, name="risk_export"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/review/", risks.risk_review, name="risk_review"),
    path("risks/<int:pk>/delete/", risks.risk_delete, name="risk_delete"),
    path("checks/", risks.check_list, name="check_list"),
    path("checks/new/", risks.check_new, name="check_new"),
    path("checks/<int:pk>/", risks.check_detail, name="check_detail"),
    path("checks/<int:pk>/problems/", risks.problem_new, name="problem_new"),
    path("checks/<int:pk>/complete/", risks.check_complete, name="check_complete"),
    path("ledger/", ledger.ledger_list, name="ledger_list"),
    path("ledger/new/", ledger.ledger_new, name="ledger_new"),
    path("ledger/stats/", ledger.ledger_stats, name="ledger_stats"),
    path("ledger/export.xlsx", ledger.ledger_export, name="ledger_export"),
    path("ledger/confirm/", ledger.ledger_reauth, name="ledger_reauth"),
    path("ledger/<int:pk>/", ledger.ledger_detail, name="ledger_detail"),
    path("ledger/<int:pk>/edit/", ledger.ledger_edit, name="ledger_edit"),
    path("ledger/<int:pk>/delete/", ledger.ledger_delete, name="ledger_delete"),
    path("files/", files.file_list, name="file_list"),
    path("files/<int:pk>/", files.file_detail, name="file_detail"),
    path("files/<int:pk>/file.docx", files.file_export, name="file_export"),
    path("files/<int:pk>/filings/new/", files.filing_new, name="filing_new"),
    path("filings/<int:pk>/edit/", files.filing_edit, name="filing_edit"),
    path("filings/<int:pk>/delete/", files.filing_delete, name="filing_delete"),
]

navigation.register("廉政建设", "廉政风险点", "integrity:risk_list", "integrity.view", prefix="integrity:risk")
navigation.register("廉政建设", "风险点督促检查", "integrity:check_list", "integrity.view", prefix="integrity:check")
navigation.register("廉政建设", "廉政档案", "integrity:file_list", "integrity.view", prefix="integrity:file")
navigation.register(
    "廉政建设",
    "四种形态台账",
    "integrity:ledger_list",
    "integrity.ledger_view",
    prefix="integrity:ledger",
    when=selectors.can_see_ledger,
)
