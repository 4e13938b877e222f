"""两个责任 for other systems: the lists, one list's items with their 落实情况, the talks (read) and recording a talk.
Same selectors, services and visibility as the pages: out of scope → 404; no permission → 403; a broken rule → 400."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Person
from qingfeng.responsibility import selectors
from qingfeng.responsibility.models import ResponsibilityItem, ResponsibilityList, Talk
from qingfeng.responsibility.services import talks as talk_services
from qingfeng.responsibility.views.lists import writer_unit

router = Router(tags=["两个责任"])


class ListOut(Schema):
    id: int
    unit_id: int
    year: int
    kind: str
    kind_display: str
    title: str
    leader_id: int | None
    status: str

    @staticmethod
    def resolve_kind_display(obj: ResponsibilityList) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_title(obj: ResponsibilityList) -> str:
        return obj.title


class ItemOut(Schema):
    id: int
    seq: int
    content: str
    measures: str
    owner: str
    owner_person_id: int | None
    owner_department_id: int | None
    responsible_person: str | None
    deadline: dt.date | None
    frequency: str
    timing: str
    progress: str
    task_id: int | None
    task_number: str | None

    @staticmethod
    def resolve_owner(obj: ResponsibilityItem) -> str:
        return obj.owner_name

    @staticmethod
    def resolve_responsible_person(obj: ResponsibilityItem) -> str | None:
        return obj.responsible_person.name if obj.responsible_person_id else None

    @staticmethod
    def resolve_progress(obj: ResponsibilityItem) -> str:
        return obj.progress.label

    @staticmethod
    def resolve_task_id(obj: ResponsibilityItem) -> int | None:
        return obj.progress.task.pk if obj.progress.task else None

    @staticmethod
    def resolve_task_number(obj: ResponsibilityItem) -> str | None:
        return obj.progress.task.number if obj.progress.task else None


class TalkOut(Schema):
    id: int
    unit_id: int
    kind: str
    talker_id: int
    talker_name: str
    talkee_id: int
    talkee_name: str
    date: dt.date
    place: str
    summary: str

    @staticmethod
    def resolve_talker_name(obj: Talk) -> str:
        return obj.talker.name

    @staticmethod
    def resolve_talkee_name(obj: Talk) -> str:
        return obj.talkee.name


class TalkIn(Schema):
    kind: str
    talkee: int
    date: dt.date
    place: str
    summary: str
    talker: int | None = None


@router.get("/lists", response=list[ListOut], url_name="resp_list_api")
@paginate(PageNumberPagination, page_size=50)
def list_index(request: HttpRequest, year: int | None = None, kind: str = ""):  # type: ignore[no-untyped-def]
    qs = selectors.visible_lists(request.user).order_by("-year", "kind", "leader_id", "id")
    if year is not None:
        qs = qs.filter(year=year if 1900 <= year <= 2200 else 0)
    if kind:
        qs = qs.filter(kind=kind[:12])
    return qs


@router.get("/lists/{int:pk}/items", response=list[ItemOut], url_name="resp_items_api")
def list_items(request: HttpRequest, pk: int) -> list[ResponsibilityItem]:
    return selectors.list_items(selectors.get_list(request.user, pk))


@router.get("/talks", response=list[TalkOut], url_name="talk_list_api")
@paginate(PageNumberPagination, page_size=50)
def talk_list(request: HttpRequest, kind: str = "", person: int | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.visible_talks(request.user).order_by("-date", "-id")
    if kind:
        qs = qs.filter(kind=kind[:10])
    if person is not None:
        qs = qs.filter(Q(talker_id=person) | Q(talkee_id=person))
    return qs


def _body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise UserError("请求体不是有效的 JSON") from None
        if not isinstance(data, dict):
            raise UserError("请求体须为 JSON 对象")
        return data
    return request.POST.dict()


@router.post("/talks", response={201: TalkOut}, url_name="talk_create_api")
def talk_create(request: HttpRequest) -> Status:
    """JSON: {"kind": "heart|reminder|integrity|summons", "talkee": <person id>, "date": "2024-03-01",
    "place": "…", "summary": "…", "talker": <person id, optional: yourself>}."""
    unit = writer_unit(request.user, "responsibility.talk")
    access.require(request.user, "responsibility.talk", unit)
    try:
        body = TalkIn(**_body(request))
    except Exception:  # pydantic's ValidationError
        raise UserError("请填写谈话类别、谈话对象、日期（YYYY-MM-DD）、地点和谈话要点") from None
    people = {p.pk: p for p in Person.objects.filter(unit=unit, pk__in=[body.talkee, body.talker or 0])}
    if body.talker and body.talker not in people:
        raise UserError("谈话人不是本单位人员")
    talk = talk_services.talk_create(
        actor=request.user,
        unit=unit,  # type: ignore[arg-type]
        kind=body.kind,
        talker=people.get(body.talker) if body.talker else None,
        talkee=people.get(body.talkee),
        date=body.date,
        place=body.place,
        summary=body.summary,
    )
    return Status(201, talk)
