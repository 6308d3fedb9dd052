"""The development outbox: every mail 'sent' while SPILKA_EMAIL_BACKEND=outbox, for staff."""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from spilka.lib.models import OutboxMessage


def _require_outbox() -> None:
    if not settings.SPILKA_OUTBOX_ENABLED:
        raise Http404


@staff_member_required
def outbox_list(request: HttpRequest) -> HttpResponse:
    _require_outbox()
    page = Paginator(OutboxMessage.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "lib/outbox_list.html", {"page": page})


@staff_member_required
def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_outbox()
    message = get_object_or_404(OutboxMessage, pk=pk)
    return render(request, "lib/outbox_detail.html", {"message": message})


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
