"""Encryption at rest for the texts only moderators may see.

A :class:`SealedTextField` stores a Fernet token and loads it back as :class:`Sealed`, an
object that does not turn into the plain text by accident (``str()`` and ``repr()`` say
"sealed"): reading the text takes an explicit :meth:`Sealed.reveal`, which moderation
calls only after writing the audit entry. Copying a sealed value into another sealed
field keeps the token as it is, so the gateway can move originals around without
decrypting them.

``MODERATION_FERNET_KEYS`` lists keys, newest first (``MultiFernet``): new tokens use the
first, old tokens stay readable during a rotation.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.MODERATION_FERNET_KEYS))


class Sealed:
    """An encrypted text; :meth:`reveal` decrypts it."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    @classmethod
    def seal(cls, text: str) -> Sealed:
        return cls(fernet().encrypt(text.encode()).decode("ascii"))

    def reveal(self) -> str:
        """The plain text. Callers outside tests must audit the reveal first."""
        try:
            return fernet().decrypt(self.token.encode("ascii")).decode()
        except InvalidToken:
            raise ValueError("the sealed text does not decrypt with the configured keys") from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)

    def __str__(self) -> str:
        return "[sealed]"

    __repr__ = __str__


class SealedTextField(models.TextField):
    """A text column holding a Fernet token; Python sees :class:`Sealed`."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(value)

    def to_python(self, value: Any) -> Sealed | None:
        if value is None or isinstance(value, Sealed):
            return value
        return Sealed.seal(str(value))

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else self.to_python(value).token
