"""A browser-like HTTP client of the bench server: a requests session, Django's CSRF, timed requests."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import requests

from bench.deadline import Deadline

REQUEST_TIMEOUT = 30.0


class CheckFailed(RuntimeError):
    """A response that is not what the case expected (status, redirect target)."""


class Client:
    def __init__(self, base_url: str, deadline: Deadline) -> None:
        host = urlsplit(base_url).hostname
        if host != "127.0.0.1":
            raise ValueError(f"the bench only talks to 127.0.0.1, not {host}")
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy, no .netrc
        self.session.headers["User-Agent"] = "qingfeng-bench"

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        if not path.startswith("/"):
            raise ValueError(f"a path on the bench server, not {path!r}")
        return self.base_url + path

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.deadline.timeout(REQUEST_TIMEOUT))
        kwargs.setdefault("allow_redirects", False)
        return self.session.request(method, self.url(path), **kwargs)

    def timed(self, method: str, path: str, **kwargs: Any) -> tuple[float, requests.Response]:
        """One request, body read in full; the wall time in milliseconds."""
        start = time.perf_counter()
        response = self.request(method, path, **kwargs)
        _ = response.content
        return (time.perf_counter() - start) * 1000, response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def csrf_token(self) -> str:
        token = self.session.cookies.get("csrftoken")
        if not token:
            raise CheckFailed("no csrftoken cookie")
        return token

    def post_form(self, path: str, data: dict[str, str], *, timed: bool = False, **kwargs: Any) -> Any:
        """A form POST with Django's CSRF token and the Referer a browser sends."""
        payload = {**data, "csrfmiddlewaretoken": self.csrf_token()}
        headers = {"Referer": self.url(path)}
        if timed:
            return self.timed("POST", path, data=payload, headers=headers, **kwargs)
        return self.request("POST", path, data=payload, headers=headers, **kwargs)

    # Log-in and log-out -------------------------------------------------------------------------------------

    def open_login(self) -> None:
        """GET /login/: the form and the csrftoken cookie."""
        expect(self.get("/login/"), 200)
        self.csrf_token()

    def submit_login(self, username: str, password: str) -> tuple[float, requests.Response]:
        """The timed part of a log-in: the POST and the redirect to the workbench."""
        ms, response = self.post_form(
            "/login/", {"username": username, "password": password}, timed=True, allow_redirects=True
        )
        expect_logged_in(response, username)
        return ms, response

    def login(self, username: str, password: str) -> None:
        self.open_login()
        self.submit_login(username, password)

    def logout(self) -> None:
        response = self.post_form("/logout/", {})
        if response.status_code != 302:
            raise CheckFailed(f"POST /logout/ → {response.status_code}, expected 302")


def expect(response: requests.Response, status: int = 200) -> requests.Response:
    """A response with the status expected, not redirected elsewhere (e.g. to the log-in page)."""
    if response.status_code != status:
        where = urlsplit(response.url).path
        location = response.headers.get("Location", "")
        extra = f" → {location}" if location else ""
        raise CheckFailed(f"{response.request.method} {where} → {response.status_code}{extra}, expected {status}")
    return response


def expect_logged_in(response: requests.Response, username: str) -> None:
    if response.status_code == 429:
        raise CheckFailed(f"{username}: locked out (429)")
    expect(response, 200)
    landed = urlsplit(response.url).path
    if not response.history or landed != "/":
        raise CheckFailed(f"{username}: log-in did not reach the workbench (landed on {landed})")
