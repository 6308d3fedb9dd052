"""The translation workflow's pages: queue, side-by-side editor, review, progress."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spilka.lib.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES
from spilka.lib.translated import pick
from spilka.publishing import access, selectors
from spilka.publishing.forms import ReturnForm, TranslatorLanguagesForm
from spilka.publishing.machine import machine_backend
from spilka.publishing.models import HELD_STATES, TaskState, TranslationTask
from spilka.publishing.services import translation as services
from spilka.publishing.services import translation_sources
from spilka.publishing.views.common import message_from

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    languages = selectors.translator_languages(request.user)
    only = request.GET.get("language", "")
    if only and only not in CONTENT_LANGUAGES:
        messages.error(request, _("Unknown language code: %(code)s.") % {"code": only[:8]})
        only = ""
    lists = selectors.translation_queue(
        request.user, languages=[only] if only else languages or None
    )
    context = {
        **lists,
        "languages": languages,
        "language_names": [LANGUAGE_NAMES[c] for c in languages],
        "only": only,
        "content_languages": [(c, LANGUAGE_NAMES[c]) for c in CONTENT_LANGUAGES],
        "organisations": selectors.translation_organisations(request.user),
    }
    return render(request, "publishing/queue.html", context)


@login_required
def languages(request: HttpRequest) -> HttpResponse:
    form = TranslatorLanguagesForm(
        request.POST if request.method == "POST" else None,
        initial={"languages": selectors.translator_languages(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.translator_languages_set(
                user=request.user, languages=form.cleaned_data["languages"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your languages were saved."))
            return redirect("publishing:queue")
    return render(
        request,
        "publishing/languages.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _fields(task: TranslationTask, item: Any) -> list[dict[str, Any]]:
    spec = translation_sources.spec_for(item)
    rows = []
    for field in spec.fields:
        model_field = item._meta.get_field(field)
        source = (getattr(item, field) or {}).get(task.source_language, "")
        draft = (task.draft or {}).get(field, "")
        limit = getattr(model_field, "text_max_length", None)
        multiline = limit is None or limit > 300
        if multiline:
            sources = [p.strip() for p in PARAGRAPH_BREAK.split(source) if p.strip()] or [""]
            targets = draft.split("\n\n") if draft else []
            targets += [""] * (len(sources) - len(targets))
            if len(targets) > len(sources):
                targets = [*targets[: len(sources) - 1], "\n\n".join(targets[len(sources) - 1 :])]
            paragraphs = [
                {"name": f"{field}-{i}", "source": s, "target": t.strip()}
                for i, (s, t) in enumerate(zip(sources, targets, strict=True))
            ]
        else:
            paragraphs = [{"name": f"{field}-0", "source": source, "target": draft}]
        rows.append(
            {
                "name": field,
                "label": model_field.verbose_name,
                "multiline": multiline,
                "paragraphs": paragraphs,
                "published": (getattr(item, field) or {}).get(task.target_language, ""),
            }
        )
    return rows


def _posted_texts(request: HttpRequest, fields: list[dict[str, Any]]) -> dict[str, str]:
    texts = {}
    for field in fields:
        parts = [request.POST.get(p["name"], "") for p in field["paragraphs"]]
        texts[field["name"]] = "\n\n".join(part.replace("\r\n", "\n").strip() for part in parts)
    return texts


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.task_get_for_user(user=request.user, pk=pk)
    item = task.item
    if item is None:  # its item was deleted
        raise Http404
    # A GET only shows staleness; a POST records it.
    translation_sources.translation_tasks_refresh(
        [task], by=request.user, save=request.method == "POST"
    )
    fields = _fields(task, item)
    holder = (
        task.state in HELD_STATES
        and task.claimed_by_id == request.user.pk
        and not task.claim_expired
    )
    status = 200
    if request.method == "POST":
        if not holder:
            messages.error(request, _("Claim the task before working on it."))
            return redirect(task)
        try:
            services.translation_save_draft(
                task=task, by=request.user, texts=_posted_texts(request, fields)
            )
        except ValidationError as error:
            message_from(request, error)
            status = 400
            # Show what was typed, so nothing is lost.
            for field in fields:
                for p in field["paragraphs"]:
                    p["target"] = request.POST.get(p["name"], "")
        else:
            if request.POST.get("then") == "submit":
                return task_submit(request, pk)
            messages.success(request, _("Your draft was saved."))
            return redirect(task)
    sources = [p["source"] for f in fields for p in f["paragraphs"]]
    context = {
        "task": task,
        "item": item,
        "item_type": item._meta.verbose_name,
        "fields": fields,
        "holder": holder,
        "can_work": access.task_can_work(user=request.user, task=task),
        "can_review": access.task_can_review(user=request.user, task=task),
        "glossary": [
            {
                "source": term.renderings.get(task.source_language) or str(term),
                "target": term.renderings.get(task.target_language, ""),
                "note": pick(term.note, "en").text,
            }
            for term in selectors.glossary_matches(sources)
        ],
        "machine_available": machine_backend() is not None,
        "return_form": ReturnForm(),
        "source_name": LANGUAGE_NAMES[task.source_language],
        "target_name": LANGUAGE_NAMES[task.target_language],
        "item_url": item.get_absolute_url() if hasattr(item, "get_absolute_url") else "",
    }
    return render(request, "publishing/task.html", context, status=status)


def _step(request: HttpRequest, pk: int, action: Any, done: str, **kwargs: Any) -> HttpResponse:
    task = access.task_get_for_user(user=request.user, pk=pk)
    if task.item is not None:
        translation_sources.translation_tasks_refresh([task], by=request.user)
    try:
        action(task=task, by=request.user, **kwargs)
    except ValidationError as error:
        message_from(request, error)
        response = redirect(task)
        return response
    messages.success(request, done)
    return redirect(task)


@login_required
@require_POST
def task_claim(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.translation_claim, _("The task is yours: translate away."))


@login_required
@require_POST
def task_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, services.translation_release, _("You let the task go; your draft is kept.")
    )


@login_required
@require_POST
def task_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.translation_submit, _("Sent for review. Thank you!"))


@login_required
@require_POST
def task_machine(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        services.translation_machine_prefill,
        _("A machine translation was put in the draft: check every paragraph."),
    )


@login_required
@require_POST
def task_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.translation_approve, _("The translation is approved."))


@login_required
@require_POST
def task_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReturnForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        task = access.task_get_for_user(user=request.user, pk=pk)
        return redirect(task)
    return _step(
        request,
        pk,
        services.translation_return,
        _("The translation was sent back to its translator."),
        note=form.cleaned_data["note"],
    )


@login_required
@require_POST
def task_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.translation_publish, _("The translation is published."))


@login_required
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.progress_organisation_get_for_user(user=request.user, slug=slug)
    state = request.GET.get("state", "")
    if state and state not in TaskState.values:
        state = ""
    language = request.GET.get("language", "")
    if language and language not in CONTENT_LANGUAGES:
        messages.error(request, _("Unknown language code: %(code)s.") % {"code": language[:8]})
        language = ""
    tasks = selectors.organisation_tasks(organisation, state=state, language=language)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    translation_sources.translation_tasks_refresh(page.object_list, by=request.user, save=False)
    context = {
        "organisation": organisation,
        "page": page,
        "state": state,
        "language": language,
        "can_sync": access.has_role(request.user, organisation, access.WRITE_ROLES),
        **selectors.translation_progress(organisation),
    }
    return render(request, "publishing/progress.html", context)


@login_required
@require_POST
def progress_sync(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.progress_organisation_get_for_user(user=request.user, slug=slug)
    if not access.has_role(request.user, organisation, access.WRITE_ROLES):
        raise PermissionDenied
    translation_sources.translation_sync(organisation=organisation, by=request.user)
    messages.success(request, _("Tasks are up to date with the organisation's content."))
    return redirect("publishing:progress", slug=slug)
