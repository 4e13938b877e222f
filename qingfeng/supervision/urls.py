from qingfeng.supervision import urls_deployments, urls_style, urls_taskforces, urls_tasks

app_name = "supervision"

urlpatterns = [
    *urls_deployments.urlpatterns,
    *urls_tasks.urlpatterns,
    *urls_style.urlpatterns,
    *urls_taskforces.urlpatterns,
]
