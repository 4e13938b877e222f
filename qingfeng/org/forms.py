from __future__ import annotations

from typing import Any

from django import forms

from qingfeng.org import access
from qingfeng.org.models import Branch, Department, Person, Unit, User
from qingfeng.org.roles import Role, SuperiorKind


def _units(user: Any) -> Any:
    return Unit.objects.filter(access.units_q(user, roles_={Role.SYSADMIN}))


class UnitForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    code = forms.CharField(label="单位代码", max_length=30, help_text="唯一，如统一社会信用代码或内部编码")
    kind = forms.ChoiceField(label="类别", choices=Unit.Kind.choices, initial=Unit.Kind.BUREAU)
    order = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)


class UnitCreateForm(UnitForm):
    parent = forms.ModelChoiceField(label="上级单位", queryset=Unit.objects.none(), empty_label="请选择")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _units(user)


class NamedForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    order = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)


class PersonForm(forms.Form):
    employee_no = forms.CharField(label="工号", max_length=30)
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.CharField(label="职务", max_length=100, required=False)
    department = forms.ModelChoiceField(
        label="科室", queryset=Department.objects.none(), required=False, empty_label="（无）"
    )
    branch = forms.ModelChoiceField(label="支部", queryset=Branch.objects.none(), required=False, empty_label="（无）")
    is_party_member = forms.BooleanField(label="中共党员", required=False)
    is_leadership = forms.BooleanField(label="班子成员", required=False)
    supervised_departments = forms.ModelMultipleChoiceField(
        label="分管科室",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="仅班子成员可分管",
    )
    phone = forms.RegexField(
        label="手机号", regex=r"^1\d{10}$", required=False, error_messages={"invalid": "请输入 11 位手机号"}
    )
    order = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        depts = Department.objects.filter(unit=unit)
        self.fields["department"].queryset = depts
        self.fields["supervised_departments"].queryset = depts
        self.fields["branch"].queryset = Branch.objects.filter(unit=unit)


class PersonCreateForm(PersonForm):
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none(), empty_label="请选择")

    def __init__(self, *args: Any, user: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["unit"].initial = unit.pk
        self.order_fields(["unit"])


class PersonFilter(forms.Form):
    q = forms.CharField(label="姓名或工号", required=False)
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位")
    department = forms.ModelChoiceField(
        label="科室", queryset=Department.objects.none(), required=False, empty_label="全部科室"
    )
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *Person.Status.choices], required=False)
    party = forms.ChoiceField(label="党员", choices=[("", "全部"), ("1", "党员"), ("0", "非党员")], required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(access.visible_q(user, Unit))
        self.fields["department"].queryset = Department.objects.filter(
            access.visible_q(user, Department)
        ).select_related("unit")


class AccountCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="登录用，字母、数字和 . _ - @")
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none(), empty_label="请选择")
    person = forms.ModelChoiceField(
        label="关联人员",
        queryset=Person.objects.none(),
        required=False,
        empty_label="（不关联）",
        help_text="业务账号须关联人员；三员账号可不关联",
    )
    display_name = forms.CharField(label="显示名", max_length=50, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["person"].queryset = Person.objects.filter(
            access.visible_q(user, Person), status=Person.Status.ACTIVE, account__isnull=True
        ).select_related("unit")


class RoleGrantForm(forms.Form):
    user = forms.ModelChoiceField(label="账号", queryset=User.objects.none(), empty_label="请选择")
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), empty_label="请选择")
    include_subunits = forms.BooleanField(label="含下级单位", required=False)
    superior_kind = forms.ChoiceField(
        label="上级类别",
        choices=[("", "—"), *SuperiorKind.choices],
        required=False,
        help_text="仅“上级（只读）”角色需要",
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(access.visible_q(actor, User), is_active=True)
            .exclude(pk=actor.pk)
            .select_related("unit")
        )
        self.fields["unit"].queryset = Unit.objects.filter(access.units_q(actor, roles_={Role.SECADMIN}))


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌名称", max_length=50, help_text="如：督查系统对接")
