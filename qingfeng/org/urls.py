from django.urls import path

from qingfeng.core import navigation
from qingfeng.org.views import accounts, people, profile, roles, roster, structure

app_name = "org"

urlpatterns = [
    path("units/", structure.unit_list, name="unit_list"),
    path("units/<int:pk>/", structure.unit_detail, name="unit_detail"),
    path("units/<int:pk>/delete/", structure.unit_delete, name="unit_delete"),
    path("units/<int:pk>/departments/", structure.department_create, name="department_create"),
    path("units/<int:pk>/branches/", structure.branch_create, name="branch_create"),
    path("departments/<int:pk>/", structure.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", structure.department_delete, name="department_delete"),
    path("branches/<int:pk>/", structure.branch_edit, name="branch_edit"),
    path("branches/<int:pk>/delete/", structure.branch_delete, name="branch_delete"),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/import/", roster.roster_import, name="roster_import"),
    path("people/import/template/", roster.roster_template, name="roster_template"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/leave/", people.person_leave, name="person_leave"),
    path("people/<int:pk>/attachments/", people.person_attach, name="person_attach"),
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/toggle/", accounts.account_toggle, name="account_toggle"),
    path("accounts/<int:pk>/reset-password/", accounts.account_reset, name="account_reset"),
    path("roles/", roles.grant_list, name="grant_list"),
    path("roles/<int:pk>/revoke/", roles.grant_revoke, name="grant_revoke"),
    path("security/", roles.security_policy, name="security_policy"),
    path("profile/", profile.profile, name="profile"),
    path("profile/tokens/<int:pk>/revoke/", profile.token_revoke, name="token_revoke"),
]

navigation.register("系统管理", "单位与科室", "org:unit_list", "org.manage", prefix="org:unit")
navigation.register("系统管理", "干部职工", "org:person_list", "org.manage", prefix="org:person")
navigation.register("系统管理", "花名册导入", "org:roster_import", "org.manage", prefix="org:roster")
navigation.register("系统管理", "账号管理", "org:account_list", "org.manage", prefix="org:account")
navigation.register("安全管理", "角色授权", "org:grant_list", "roles.manage", prefix="org:grant")
navigation.register("安全管理", "安全策略", "org:security_policy", "security.view", prefix="org:security")
