"""The 系统管理员's pages: units, departments, branches, people, accounts — bad input gets a Chinese message next
to the field and changes nothing; every change is audited; lists are paginated with pinned query counts."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingfeng.core.models import AuditEvent
from qingfeng.org.models import Department, Person, Unit, User


def test_a_unit_is_created_under_a_parent_and_appears_in_the_tree(cast, login) -> None:
    client = login("sysadmin")
    response = client.post(
        "/org/units/", {"name": "城建档案馆", "code": "QH-DAG", "kind": "other", "parent": cast.bureau.pk}
    )
    unit = Unit.objects.get(code="QH-DAG")
    assert response.status_code == 302 and unit.path == f"{cast.bureau.path}{unit.pk}/"
    assert "城建档案馆" in client.get("/org/units/").content.decode()
    assert AuditEvent.objects.filter(action="unit.create", object_id=str(unit.pk)).exists()


def test_a_duplicate_unit_code_is_refused_next_to_the_field(cast, login) -> None:
    response = login("sysadmin").post(
        "/org/units/", {"name": "重复", "code": cast.sibling.code, "kind": "bureau", "parent": cast.bureau.pk}
    )
    assert response.status_code == 200 and "已被使用" in response.content.decode()
    assert not Unit.objects.filter(name="重复").exists()


def test_a_parent_outside_the_sysadmins_scope_is_not_offered(cast, login) -> None:
    response = login("sysadmin").post(
        "/org/units/", {"name": "越权", "code": "X-1", "kind": "bureau", "parent": cast.far_bureau.pk}
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert not Unit.objects.filter(code="X-1").exists()


def test_departments_are_created_renamed_and_refused_when_in_use(cast, login) -> None:
    client = login("sysadmin")
    client.post(f"/org/units/{cast.bureau.pk}/departments/", {"dept-name": "审批股", "dept-order": "9"})
    dept = Department.objects.get(unit=cast.bureau, name="审批股")
    client.post(f"/org/departments/{dept.pk}/", {"name": "行政审批股", "order": "9"})
    dept.refresh_from_db()
    assert dept.name == "行政审批股"
    duplicate = client.post(f"/org/departments/{dept.pk}/", {"name": "财务股", "order": "1"})
    assert "本单位已有科室“财务股”" in duplicate.content.decode()
    finance = cast.departments["财务股"]
    response = client.post(f"/org/departments/{finance.pk}/delete/", follow=True)
    assert "还有在岗人员" in response.content.decode()
    assert Department.objects.filter(pk=finance.pk).exists()


def test_a_person_is_created_with_fenguan_and_two_people_may_share_a_name(cast, login) -> None:
    client = login("sysadmin")
    finance, plan = cast.departments["财务股"], cast.departments["计划项目股"]
    data = {
        "unit": cast.bureau.pk,
        "employee_no": "QHZJ900",
        "name": "王建国",
        "post": "副局长",
        "department": finance.pk,
        "is_leadership": "on",
        "is_party_member": "on",
        "supervised_departments": [finance.pk, plan.pk],
        "phone": "13800000000",
        "order": "1",
    }
    response = client.post("/org/people/new/", data)
    assert response.status_code == 302
    person = Person.objects.get(employee_no="QHZJ900")
    assert Person.objects.filter(name="王建国").count() >= 2  # 工号 is the key, not the name
    assert set(person.supervised_departments.all()) == {finance, plan}
    event = AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).get()
    assert event.changes["supervised_departments"] == sorted(["财务股", "计划项目股"])


def test_bad_person_input_gets_chinese_messages_and_changes_nothing(cast, login) -> None:
    client = login("sysadmin")
    before = Person.objects.count()
    taken = cast.users["staff"].person.employee_no
    response = client.post("/org/people/new/", {"unit": cast.bureau.pk, "employee_no": taken, "name": "某某"})
    assert "已被使用" in response.content.decode()
    response = client.post("/org/people/new/", {"unit": cast.bureau.pk, "employee_no": "", "name": "", "phone": "123"})
    text = response.content.decode()
    assert "这个字段是必填项" in text and "请输入 11 位手机号" in text
    response = client.post(
        "/org/people/new/",
        {
            "unit": cast.bureau.pk,
            "employee_no": "QHZJ901",
            "name": "甲",
            "supervised_departments": [cast.departments["财务股"].pk],
        },
    )
    assert "只有班子成员可以分管科室" in response.content.decode()
    assert Person.objects.count() == before


def test_a_person_who_leaves_keeps_the_record_and_loses_the_account(cast, login) -> None:
    person = cast.users["staff"].person
    login("sysadmin").post(f"/org/people/{person.pk}/leave/")
    person.refresh_from_db()
    assert person.status == "left"
    assert not User.objects.get(username="staff").is_active


def test_the_people_list_filters_and_pins_its_queries(cast, login) -> None:
    client = login("sysadmin")
    response = client.get("/org/people/", {"department": cast.departments["财务股"].pk})
    text = response.content.decode()
    assert "陈文斌" in text and "刘海燕" not in text
    with CaptureQueriesContext(connection) as small:
        client.get("/org/people/?page=1")
    with CaptureQueriesContext(connection) as large:
        client.get("/org/people/?page=3")
    # Session, user, roles, the page and its count, prefetches, the filter form's choices and the shell: fixed,
    # whatever the number of rows shown.
    assert len(small) == len(large) <= 16, [q["sql"] for q in large.captured_queries]


def test_an_account_gets_a_one_time_password_shown_once(cast, login) -> None:
    client = login("sysadmin")
    person = Person.objects.filter(unit=cast.bureau, account__isnull=True).first()
    response = client.post("/org/accounts/new/", {"username": "zhangsan", "unit": cast.bureau.pk, "person": person.pk})
    user = User.objects.get(username="zhangsan")
    assert response.status_code == 302 and user.must_change_password
    first = client.get(f"/org/accounts/{user.pk}/").content.decode()
    assert 'id="one-time-password"' in first
    assert 'id="one-time-password"' not in client.get(f"/org/accounts/{user.pk}/").content.decode()
    assert "no-store" in client.get(f"/org/accounts/{user.pk}/")["Cache-Control"]


def test_the_account_list_pins_its_queries(cast, login) -> None:
    client = login("sysadmin")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/org/accounts/")
    assert response.status_code == 200
    # session, user, roles, count, page, the roles prefetch, unread count, the top bar's unit, and the session
    # save (BEGIN/UPDATE/COMMIT on SQLite): no query per row
    assert len(queries) <= 11, [q["sql"] for q in queries.captured_queries]
