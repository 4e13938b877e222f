"""The organisation: units (a tree: city → county → bureau), departments, party branches, people, accounts and
the roles granted on units."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from qingfeng.core.models import BaseModel
from qingfeng.org.roles import Role, SuperiorKind


class Unit(BaseModel):
    class Kind(models.TextChoices):
        CITY = "city", "市"
        COUNTY = "county", "县（区）"
        BUREAU = "bureau", "局（委办）"
        OTHER = "other", "其他单位"

    name = models.CharField("单位名称", max_length=100)
    code = models.CharField("单位代码", max_length=30, unique=True)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.BUREAU)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path "/1/4/9/" of primary keys: a subtree is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = "单位"

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)


class Department(BaseModel):
    unit = models.ForeignKey(Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="departments")
    name = models.CharField("科室名称", max_length=100)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "科室"
        ordering = ["unit_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"], condition=models.Q(deleted_at__isnull=True), name="department_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Branch(BaseModel):
    unit = models.ForeignKey(Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="branches")
    name = models.CharField("支部名称", max_length=100)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "支部"
        ordering = ["unit_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"], condition=models.Q(deleted_at__isnull=True), name="branch_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Person(BaseModel):
    """干部职工. 工号 is the key: two people may share a name."""

    class Status(models.TextChoices):
        ACTIVE = "active", "在岗"
        LEFT = "left", "离岗"

    unit = models.ForeignKey(Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="people")
    employee_no = models.CharField("工号", max_length=30, unique=True)
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100, blank=True)
    department = models.ForeignKey(
        Department, verbose_name="科室", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    branch = models.ForeignKey(
        Branch, verbose_name="支部", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    is_party_member = models.BooleanField("党员", default=False)
    is_leadership = models.BooleanField("班子成员", default=False)
    supervised_departments = models.ManyToManyField(
        Department, verbose_name="分管科室", blank=True, related_name="supervising_leaders"
    )
    phone = models.CharField("手机号", max_length=20, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "干部职工"
        ordering = ["unit_id", "order", "employee_no"]
        indexes = [models.Index(fields=["unit", "department"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"


class QingfengUserManager(UserManager):
    pass


class User(AbstractUser):
    """An account. Business accounts belong to a Person; the 三员 accounts may not."""

    person = models.OneToOneField(
        Person, verbose_name="人员", null=True, blank=True, on_delete=models.PROTECT, related_name="account"
    )
    unit = models.ForeignKey(Unit, verbose_name="所属单位", null=True, on_delete=models.PROTECT, related_name="+")
    display_name = models.CharField("姓名", max_length=50, blank=True)
    is_demo = models.BooleanField("演示账号", default=False)
    must_change_password = models.BooleanField("须修改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    objects = QingfengUserManager()

    class Meta:
        verbose_name = "账号"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class RoleAssignment(models.Model):
    """A role held on a unit (and, when include_subunits, on every unit below it). Granted and revoked by
    the 安全管理员 only; revoked rows stay on record."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    include_subunits = models.BooleanField("含下级单位", default=False)
    superior_kind = models.CharField("上级类别", max_length=10, choices=SuperiorKind.choices, blank=True)
    granted_at = models.DateTimeField("授予时间", default=timezone.now)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "角色授权"
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(revoked_at__isnull=True),
                name="role_assignment_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class ApiToken(models.Model):
    """A personal API token. Only its SM3 digest is stored; the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=50)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
