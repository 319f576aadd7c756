"""The booking pages' small signed cookies: each holds one id or word, never patient data,
is sent only to the pages that read it, and is out of reach of scripts."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


@dataclass(frozen=True)
class PrivateCookie:
    """A signed, httponly, SameSite=Lax cookie for the page `url_name` and those under it.
    Without `max_age` it lasts until the browser closes and is read for at most a session's
    age."""

    name: str
    salt: str
    url_name: str
    max_age: int | None = None

    def give(self, response: HttpResponse, value) -> None:
        response.set_signed_cookie(
            self.name,
            value,
            salt=self.salt,
            max_age=self.max_age,
            path=reverse(self.url_name),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )

    def read(self, request: HttpRequest) -> str | None:
        """Its value, or None when missing, forged or too old."""
        return request.get_signed_cookie(
            self.name,
            default=None,
            salt=self.salt,
            max_age=self.max_age or settings.SESSION_COOKIE_AGE,
        )

    def forget(self, response: HttpResponse) -> None:
        response.delete_cookie(self.name, path=reverse(self.url_name), samesite="Lax")
