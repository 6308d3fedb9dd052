"""No URL or form of the app answers bad input with a server error."""

import io

import pytest

from conftest import client_for

pytestmark = pytest.mark.django_db

BIG = "9" * 30


def test_no_url_or_form_answers_bad_input_with_a_server_error(
    anon, publication, task_pl, ussc_translator, ussc_organiser, demo
):
    t = client_for(ussc_translator)
    o = client_for(ussc_organiser)
    results = {}
    for c, name in ((anon, "anon"), (t, "tr"), (o, "org")):
        for url in [
            f"/en/translate/tasks/{BIG}/",
            f"/en/translate/tasks/{BIG}/claim/",
            "/en/translate/org/nope/",
            f"/en/glossary/{BIG}/edit/",
            f"/en/org/ussc/resources/{BIG}/edit/",
            "/en/publications/nope/",
            "/en/publications/?page=abc",
            "/en/publications/?page=99999999999999999999",
            "/en/publications/?tag=%00",
            "/en/publications/?tag=<b>",
            "/en/translate/?language=%00",
            "/en/translate/org/ussc/?state=x&page=-1",
            "/en/feeds/nope/rss/",
            "/xx/publications/",
            "/en/feeds/ussc/atom/",
        ]:
            for method in ("get", "post"):
                r = getattr(c, method)(url)
                results[(name, method, url)] = r.status_code
    # posts with HTML / missing fields
    for url, data in [
        ("/en/publications/new/", {}),
        (
            "/en/publications/new/",
            {
                "organisation": "999999999999999999999",
                "slug": "<b>",
                "kind": "<x>",
                "original_language": "xx",
                "title": "<script>",
                "body": "x",
                "status": "zz",
                "published_on": "99999-99-99",
                "tags": "<b>," * 20,
            },
        ),
        (
            "/en/publications/new/",
            {
                "organisation": str(demo["ussc"].pk),
                "slug": "ok-slug",
                "kind": "article",
                "original_language": "en",
                "title": "<b>t</b>",
                "body": "x",
                "status": "published",
                "published_on": "0001-01-01",
                "tags": ",".join(f"t{i}" for i in range(20)),
            },
        ),
        ("/en/publications/teach-in-notes/edit/", {}),
        ("/en/publications/teach-in-notes/pictures/", {}),
        ("/en/glossary/new/", {}),
        ("/en/glossary/new/", {"renderings_en": "<script>x</script>", "renderings_xx": "y"}),
        ("/en/org/ussc/resources/manage/", {}),
        (
            "/en/org/ussc/resources/manage/",
            {"label_en": "<b>", "url": "javascript:alert(1)", "kind": "zz"},
        ),
        (
            "/en/org/ussc/resources/manage/",
            {"label_en": "x", "url": "http://[::1", "kind": "website"},
        ),
        ("/en/translate/languages/", {"languages": ["xx", "<b>"]}),
        (f"/en/translate/tasks/{task_pl.pk}/return/", {}),
        (f"/en/translate/tasks/{task_pl.pk}/", {"title-0": "x" * 1_000_000}),
        ("/en/translate/org/ussc/sync/", {}),
    ]:
        r = o.post(url, data)
        results[("org-post", url, str(data)[:40])] = r.status_code
    # images
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, format="PNG")
    for name, content in [
        ("x.png", b"not an image"),
        ("x.jpg", bomb.getvalue()),
        ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("x.gif", b"GIF89a" + b"\x00" * 20),
    ]:
        r = o.post(
            "/en/publications/teach-in-notes/pictures/",
            {"image": SimpleUploadedFile(name, content)},
        )
        results[("img", name)] = r.status_code
    bad = {k: v for k, v in results.items() if v >= 500}
    assert not bad
    assert results[("org-post", "/en/publications/new/", "{}")] == 400
