"""A file box says what became of the file when its form comes back with errors."""

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from spilka.lib.uploads import ReChooseFileInput


class _Form(forms.Form):
    name = forms.CharField()
    picture = forms.FileField(widget=ReChooseFileInput)


def test_a_form_shown_again_says_the_file_must_be_chosen_again():
    upload = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    form = _Form({"name": ""}, {"picture": upload})
    assert not form.is_valid() and "picture" not in form.errors
    html = str(form["picture"])
    assert 'data-upload-lost="picture"' in html and "choose it again" in html


def test_a_fresh_form_says_nothing_about_kept_or_lost_files():
    html = str(_Form()["picture"])
    assert "data-upload-lost" not in html and "data-kept-upload" not in html


def test_a_kept_file_is_named_and_carried_in_a_hidden_field_and_not_required():
    form = _Form({"name": ""})
    form.fields["picture"].widget.kept = {"token": "t0k3n", "name": "logo.png"}
    html = str(form["picture"])
    assert 'name="picture__kept" value="t0k3n"' in html and "logo.png" in html
    assert "required" not in html


def test_the_organisation_logo_box_says_so_too():
    from spilka.network.forms import OrganisationForm

    assert isinstance(OrganisationForm.base_fields["logo"].widget, ReChooseFileInput)
