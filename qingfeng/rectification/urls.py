from qingfeng.rectification import urls_import, urls_ledger, urls_rounds

app_name = "rectification"

urlpatterns = [*urls_rounds.urlpatterns, *urls_import.urlpatterns, *urls_ledger.urlpatterns]
