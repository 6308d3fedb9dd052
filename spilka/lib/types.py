"""Types the whole tree shares for mypy (django-stubs), with no effect when the code runs.

``StrOrPromise``: a string or a lazy translation (``gettext_lazy``), which Django accepts
wherever it shows text (messages, validation errors, labels).

``AuthenticatedHttpRequest``: the request of a view behind ``login_required``, whose user
is the project's :class:`~spilka.accounts.models.User`, never ``AnonymousUser``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from spilka.accounts.models import User
else:
    StrOrPromise = str | Promise


class AuthenticatedHttpRequest(HttpRequest):
    user: User
