"""The JSON API: token auth, the same visibility as the pages, Chinese errors."""

from __future__ import annotations

from django.test import Client

from qingfeng.org.services import accounts


def _token_client(user) -> Client:  # type: ignore[no-untyped-def]
    _, raw = accounts.token_create(actor=user, name="测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_authenticates_and_me_lists_the_roles(cast) -> None:
    data = _token_client(cast.users["head"]).get("/api/v1/me").json()
    assert data["username"] == "head" and data["roles"][0]["role"] == "head"


def test_a_bad_or_revoked_token_is_refused_in_chinese(cast) -> None:
    response = Client(HTTP_AUTHORIZATION="Bearer qf_nonsense").get("/api/v1/me")
    assert response.status_code == 401 and response.json()["detail"] == "未登录或令牌无效"
    token, raw = accounts.token_create(actor=cast.users["head"], name="x")
    accounts.token_revoke(actor=cast.users["head"], token=token)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 401


def test_only_the_digest_of_a_token_is_stored(cast) -> None:
    token, raw = accounts.token_create(actor=cast.users["head"], name="x")
    assert raw not in (token.digest, token.prefix) and len(token.digest) == 64


def test_people_are_filtered_by_visibility(cast) -> None:
    mine = _token_client(cast.users["clerk"]).get("/api/v1/people?page=1").json()
    units = {p["unit_id"] for p in mine["items"]}
    assert units == {cast.bureau.pk}
    far = _token_client(cast.users["outsider"]).get("/api/v1/people").json()
    assert {p["unit_id"] for p in far["items"]} == {cast.sibling.pk}
    pk = cast.users["staff"].person.pk
    assert _token_client(cast.users["outsider"]).get(f"/api/v1/people/{pk}").json() == {"detail": "对象不存在"}


def test_bad_parameters_get_422_not_500(cast) -> None:
    client = _token_client(cast.users["clerk"])
    assert client.get("/api/v1/people?unit=abc").status_code == 422
    assert client.get("/api/v1/people?page=-1").status_code in (200, 422)
    assert client.get("/api/v1/people/99999999999999999999").status_code in (404, 422)
