"""Organisers reorder and remove an event's speakers, questions and recordings, and edit questions.

Plain forms, no script: "move up" / "move down" are buttons posting here, and removing
goes through a page that says what will happen and asks to confirm.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from spilka.events import access
from spilka.events.forms import QuestionForm
from spilka.events.models import Question
from spilka.events.services import items as services
from spilka.lib.forms import form_add_validation_error


def _manage_url(slug: str, kind: str) -> str:
    return reverse("events:manage", kwargs={"slug": slug}) + f"#{kind}s"


@login_required
@require_POST
def event_item_move(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    if kind not in services.ITEM_MODELS:
        raise Http404
    try:
        services.event_item_move(
            event=event,
            by=request.user,
            kind=kind,
            pk=pk,
            direction=request.POST.get("direction", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(_manage_url(event.slug, kind))


@login_required
@require_http_methods(["GET", "POST"])
def event_item_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """GET shows what will be removed and asks; POST removes."""
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    model = services.ITEM_MODELS.get(kind)
    if model is None:
        raise Http404
    item = model.objects.filter(event=event, pk=pk).first()
    if item is None:
        raise Http404
    answered = services.question_answer_count(item) if isinstance(item, Question) else 0
    error = ""
    if request.method == "POST":
        try:
            services.event_item_delete(event=event, by=request.user, kind=kind, pk=pk)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Removed."))
            return redirect(_manage_url(event.slug, kind))
    return render(
        request,
        "events/item_delete.html",
        {"event": event, "item": item, "kind": kind, "answered": answered, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a registration question; answered questions keep their kind and chosen options."""
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    question = Question.objects.filter(event=event, pk=pk).first()
    if question is None:
        raise Http404
    initial = {"choices_text": "\n".join(question.choices or [])}
    form = QuestionForm(
        request.POST if request.method == "POST" else None, instance=question, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_update(
                event=event,
                by=request.user,
                pk=question.pk,
                label=data["label"],
                kind=data["kind"],
                required=data["required"],
                choices=form.choices(),
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect(_manage_url(event.slug, "question"))
    return render(
        request,
        "events/question_edit.html",
        {
            "event": event,
            "question": question,
            "form": form,
            "answered": services.question_answer_count(question),
        },
        status=400 if form.errors else 200,
    )
