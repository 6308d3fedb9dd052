"""Publications: the public list and pages (per language), and authors' forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from spilka.lib.forms import form_add_validation_error
from spilka.lib.languages import LANGUAGE_NAMES
from spilka.lib.paging import page_of
from spilka.lib.translated import pick
from spilka.publishing import access, selectors
from spilka.publishing.forms import ImageUploadForm, PublicationForm
from spilka.publishing.markdown import render_markdown
from spilka.publishing.models import PublicationKind
from spilka.publishing.services import publications as services


def publication_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in PublicationKind.values:
        kind = ""
    tag = request.GET.get("tag", "")[:50]
    if tag and slugify(tag, allow_unicode=True) != tag:
        tag = ""  # not a tag we could have made (and PostgreSQL refuses NUL bytes)
    publications = selectors.publications_public(request.user, kind=kind, tag=tag)
    page = Paginator(publications, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": PublicationKind.choices,
        "kind": kind,
        "tag": tag,
        "drafts": page_of(
            request, selectors.publication_drafts(request.user), per_page=20, param="drafts_page"
        ),
        "can_write": request.user.is_authenticated
        and access.organisations_publishing(request.user).exists(),
    }
    return render(request, "publishing/publication_list.html", context)


def _language_url(publication, code: str) -> str:  # type: ignore[no-untyped-def]
    with translation.override(code):
        return reverse("publishing:publication", kwargs={"slug": publication.slug})


def publication_detail(request: HttpRequest, slug: str) -> HttpResponse:
    publication = access.publication_get_for_user(user=request.user, slug=slug)
    title = pick(publication.title, publication.original_language)
    body = pick(publication.body, publication.original_language, language=title.language)
    summary = pick(publication.summary, publication.original_language, language=title.language)
    available = [
        {"code": code, "name": LANGUAGE_NAMES[code], "url": _language_url(publication, code)}
        for code in publication.languages
        if code != title.language
    ]
    context = {
        "publication": publication,
        "title": title,
        "summary": summary,
        "body_html": render_markdown(body.text),
        "body_language": body.language,
        "available": available,
        "tags": list(publication.tags.all()),
        "can_write": access.publication_can_write(user=request.user, publication=publication),
    }
    return render(request, "publishing/publication_detail.html", context)


def _form_page(request: HttpRequest, form, title: str, publication=None) -> HttpResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "publishing/publication_form.html",
        {"form": form, "title": title, "publication": publication},
        status=400 if form.errors else 200,
    )


@login_required
def publication_create(request: HttpRequest) -> HttpResponse:
    organisations = access.organisations_publishing(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = PublicationForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lang = data["original_language"]
        try:
            publication = services.publication_create(
                by=request.user,
                organisation=data["organisation"],
                slug=data["slug"],
                kind=data["kind"],
                original_language=lang,
                title={lang: data["title"]},
                summary={lang: data["summary"]} if data["summary"] else {},
                body={lang: data["body"]},
                tags=services.tags_parse(data["tags"]),
                status=data["status"],
                published_on=data["published_on"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The publication was saved."))
            return redirect(publication)
    return _form_page(request, form, _("New publication"))


@login_required
def publication_edit(request: HttpRequest, slug: str) -> HttpResponse:
    publication = access.publication_get_for_user(user=request.user, slug=slug, write=True)
    lang = publication.original_language
    initial = {
        "organisation": publication.organisation,
        "slug": publication.slug,
        "kind": publication.kind,
        "original_language": lang,
        "title": publication.title.get(lang, ""),
        "summary": publication.summary.get(lang, ""),
        "body": publication.body.get(lang, ""),
        "tags": ", ".join(t.slug for t in publication.tags.all()),
        "status": publication.status,
        "published_on": publication.published_on,
    }
    organisations = access.organisations_publishing(request.user) | type(
        publication.organisation
    ).objects.filter(pk=publication.organisation_id)
    form = PublicationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisations=organisations,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.publication_update(
                publication=publication,
                by=request.user,
                kind=data["kind"],
                # Only the original's texts: the service merges them into the maps it
                # reads under its lock, keeping translations published meanwhile.
                original={name: data[name] for name in services.TEXT_FIELDS},
                tags=services.tags_parse(data["tags"]),
                status=data["status"],
                published_on=data["published_on"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The publication was saved."))
            return redirect(publication)
    return _form_page(request, form, _("Edit the publication"), publication)


@login_required
def publication_images(request: HttpRequest, slug: str) -> HttpResponse:
    publication = access.publication_get_for_user(user=request.user, slug=slug, write=True)
    form = ImageUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_image_add(
                publication=publication, by=request.user, upload=form.cleaned_data["image"]
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The picture was uploaded; paste its line into the text."))
            return redirect("publishing:publication_images", slug=slug)
    return render(
        request,
        "publishing/publication_images.html",
        {"publication": publication, "form": form, "images": publication.images.all()},
        status=400 if form.errors else 200,
    )
