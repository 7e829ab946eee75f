"""Editors at work in the admin: words, translations, history, reviews, and what they may not do."""

import datetime
import html
import io
import re

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.management import call_command

from checklist.models import Finding
from content.models import EditorProfile, Page, Reference, Section

PASSWORD = "a-long-editor-passphrase-7193"
WORDS = [
    f"{field}_{suffix}"
    for suffix in ("en", "zh_hans", "ja")
    for field in ("title", "summary", "body")
]


def change_url(page):
    return f"/admin/content/page/{page.pk}/change/"


def _add_form(data, form):
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        elif isinstance(field.widget, forms.Textarea) and value:
            # Browsers send a textarea's line breaks as CRLF (HTML form submission).
            data[bound.html_name] = str(value).replace("\r\n", "\n").replace("\n", "\r\n")
        else:
            data[bound.html_name] = "" if value is None else str(value)


def form_data(response):
    """What a browser would post back from an admin form, unchanged."""
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
        data[management["TOTAL_FORMS"].html_name] = len(formset.initial_forms)
        for form in formset.initial_forms:
            _add_form(data, form)
    return data


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("edith", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# --- Who may do what ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_editors_group_may_change_words_but_not_users(editor):
    for permission in (
        "content.change_page",
        "content.add_page",
        "content.change_reference",
        "content.view_historicalpage",
        "checklist.change_finding",
        "checklist.change_redflag",
    ):
        assert editor.has_perm(permission), permission
    permissions = editor.get_all_permissions()
    assert not [name for name in permissions if name.startswith("auth.")]
    assert "content.change_editorprofile" not in permissions  # a clinical role is vouched for
    assert "checklist.add_finding" not in permissions
    assert "checklist.delete_finding" not in permissions


@pytest.mark.django_db
def test_an_editor_signs_in_and_opens_the_words_but_not_the_users(client, editor):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "edith", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/content/page/").status_code == 200
    finding = Finding.objects.get(slug="vegf_elevated")
    assert client.get(f"/admin/checklist/finding/{finding.pk}/change/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


@pytest.mark.django_db
def test_a_wrong_password_does_not_sign_in(client, editor):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "edith", "password": "wrong", "next": "/admin/"},
    )
    assert response.status_code in (200, 403, 429)
    assert client.get("/admin/content/page/").status_code == 302  # back to the sign-in


# --- Editing words ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_changes_the_japanese_title_and_readers_see_it(editor_client, client):
    page = Page.objects.get(slug="vegf")
    old_title = page.title_ja
    assert old_title in page_text(client, "/ja/learn/vegf/")  # now cached
    references = list(page.page_references.values_list("position", "reference_id"))
    related = set(page.related.values_list("slug", flat=True))

    response = editor_client.get(change_url(page))
    assert response.status_code == 200
    data = form_data(response)
    assert data["title_ja"] == old_title
    assert data["page_references-INITIAL_FORMS"] == len(references)
    data["title_ja"] = "血管内皮増殖因子の上昇"
    response = editor_client.post(change_url(page), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    text = page_text(client, "/ja/learn/vegf/")
    assert "<h1>血管内皮増殖因子の上昇</h1>" in text
    assert old_title not in text.split("<h1>", 1)[1].split("</h1>", 1)[0]
    # Nothing else changed: the other languages, the references and the related pages.
    page.refresh_from_db()
    assert page.title_en == "VEGF elevation"
    assert list(page.page_references.values_list("position", "reference_id")) == references
    assert set(page.related.values_list("slug", flat=True)) == related
    assert "血管内皮増殖因子の上昇" in page_text(client, "/ja/learn/")
    assert "血管内皮増殖因子の上昇" not in page_text(client, "/en/learn/vegf/")


@pytest.mark.django_db
def test_an_editor_changes_a_findings_words_and_the_checklist_shows_them(editor_client, client):
    finding = Finding.objects.get(slug="papilledema")
    url = f"/admin/checklist/finding/{finding.pk}/change/"
    client.get("/en/checklist/")  # cache the checklist's words
    data = form_data(editor_client.get(url))
    data["label_en"] = "Swollen optic discs (papilloedema)"
    data["slug"] = "renamed"  # read-only: ignored
    response = editor_client.post(url, data)
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.label_en == "Swollen optic discs (papilloedema)"
    assert finding.slug == "papilledema"
    assert "Swollen optic discs (papilloedema)" in page_text(client, "/en/checklist/")


@pytest.mark.django_db
def test_an_editor_cannot_add_or_delete_findings(editor_client):
    finding = Finding.objects.get(slug="papilledema")
    assert editor_client.get("/admin/checklist/finding/add/").status_code == 403
    response = editor_client.get(f"/admin/checklist/finding/{finding.pk}/delete/")
    assert response.status_code == 403
    assert Finding.objects.filter(slug="papilledema").exists()


@pytest.mark.django_db
def test_an_english_title_is_required(editor_client):
    page = Page.objects.get(slug="vegf")
    data = form_data(editor_client.get(change_url(page)))
    data["title_en"] = ""
    response = editor_client.post(change_url(page), data)
    assert response.status_code == 200
    assert "title_en" in response.context["adminform"].form.errors
    page.refresh_from_db()
    assert page.title_en == "VEGF elevation"


@pytest.mark.django_db
def test_two_references_cannot_share_a_number(editor_client):
    page = Page.objects.get(slug="vegf")
    data = form_data(editor_client.get(change_url(page)))
    count = page.page_references.count()
    data["page_references-1-position"] = data["page_references-0-position"]
    response = editor_client.post(change_url(page), data)
    assert response.status_code == 200
    assert list(page.page_references.values_list("position", flat=True)) == list(
        range(1, count + 1)
    )


# --- History -----------------------------------------------------------------------------


def edit_words(page, tag):
    for name in WORDS:
        setattr(page, name, f"{tag} {name}")
    page.save()


@pytest.mark.django_db
def test_restoring_a_version_brings_back_the_words_in_every_language(client):
    page = Page.objects.get(slug="vegf")
    shipped = {name: getattr(page, name) for name in WORDS}
    edit_words(page, "First")
    edit_words(page, "Second")
    versions = list(page.history.order_by("history_date", "history_id"))
    assert len(versions) >= 3
    first = versions[-2]
    assert first.title_ja == "First title_ja"
    first.instance.save()
    page.refresh_from_db()
    assert {name: getattr(page, name) for name in WORDS} == {
        name: f"First {name}" for name in WORDS
    }
    assert "First title_ja" in page_text(client, "/ja/learn/vegf/")
    assert "First body_zh_hans" in page_text(client, "/zh-hans/learn/vegf/")

    versions[-3].instance.save()  # the shipped words, before either edit
    page.refresh_from_db()
    assert {name: getattr(page, name) for name in WORDS} == shipped


@pytest.mark.django_db
def test_an_editor_reverts_through_the_admin_history(editor_client, client):
    page = Page.objects.get(slug="vegf")
    references = page.page_references.count()
    edit_words(page, "First")
    edit_words(page, "Second")
    first = page.history.order_by("-history_date", "-history_id")[1]
    assert first.body_en == "First body_en"
    url = f"/admin/content/page/{page.pk}/history/{first.history_id}/"
    response = editor_client.get(url)
    assert response.status_code == 200
    data = form_data(response)
    assert data["title_zh_hans"] == "First title_zh_hans"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert {name: getattr(page, name) for name in WORDS} == {
        name: f"First {name}" for name in WORDS
    }
    assert page.page_references.count() == references  # the references were not touched
    assert "First title_en" in page_text(client, "/en/learn/vegf/")
    latest = page.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user.username == "edith"


@pytest.mark.django_db
def test_the_history_page_shows_what_changed_and_who_changed_it(editor_client):
    page = Page.objects.get(slug="vegf")
    data = form_data(editor_client.get(change_url(page)))
    data["title_ja"] = "VEGF上昇・改"
    assert editor_client.post(change_url(page), data).status_code == 302
    data["summary_en"] = "A shorter summary."
    assert editor_client.post(change_url(page), data).status_code == 302

    response = editor_client.get(f"/admin/content/page/{page.pk}/history/")
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    changes = re.findall(r"<li>\s*<strong>([^<]+):</strong>(.*?)</li>", text, re.S)
    changed = [(field.strip(), " ".join(rest.split())) for field, rest in changes]
    assert any("VEGF上昇 →" in rest and rest.endswith("VEGF上昇・改") for _f, rest in changed)
    assert any(rest.endswith("A shorter summary.") for _f, rest in changed)
    assert "edith" in text


# --- The list of pages -------------------------------------------------------------------


def listed(response):
    assert response.status_code == 200
    return {page.slug for page in response.context["cl"].result_list}


@pytest.mark.django_db
def test_the_missing_translation_filter_lists_only_untranslated_pages(editor_client):
    assert listed(editor_client.get("/admin/content/page/", {"missing": "ja"})) == set()
    page = Page.objects.get(slug="vegf")
    page.body_ja = ""
    page.save()
    other = Page.objects.get(slug="history")
    other.summary_ja = None
    other.save()
    result = listed(editor_client.get("/admin/content/page/", {"missing": "ja"}))
    assert result == {"vegf", "history"}
    assert listed(editor_client.get("/admin/content/page/", {"missing": "zh-hans"})) == set()


@pytest.mark.django_db
def test_the_list_filters_by_section_and_status_and_searches_titles(editor_client):
    result = listed(editor_client.get("/admin/content/page/", {"section": "prognosis"}))
    assert result == set(
        Page.objects.filter(section=Section.PROGNOSIS).values_list("slug", flat=True)
    )
    assert len(result) >= 2

    assert listed(editor_client.get("/admin/content/page/", {"status": "draft"})) == set()
    Page.objects.create(
        slug="a-draft", section=Section.ABOUT, title_en="Draft", summary_en="S", body_en="B"
    )
    assert listed(editor_client.get("/admin/content/page/", {"status": "draft"})) == {"a-draft"}

    assert listed(editor_client.get("/admin/content/page/", {"q": "VEGF elevation"})) == {"vegf"}
    assert "vegf" in listed(editor_client.get("/admin/content/page/", {"q": "VEGF上昇"}))
    assert listed(editor_client.get("/admin/content/page/", {"q": "xylophone"})) == set()


@pytest.mark.django_db
def test_the_list_shows_each_pages_review_state(editor_client, clinician):
    page = Page.objects.get(slug="vegf")
    page.mark_reviewed(clinician, datetime.date(2025, 3, 4))
    page.save()
    text = html.unescape(editor_client.get("/admin/content/page/").content.decode())
    assert "reviewed 2025-03-04" in text
    assert "not reviewed" in text
    page.body_en += "\nMore."
    page.save()
    text = html.unescape(editor_client.get("/admin/content/page/").content.decode())
    assert "changed since review" in text


# --- Clinical review through the admin ---------------------------------------------------


@pytest.mark.django_db
def test_saving_a_reviewed_page_unchanged_keeps_the_review(editor_client, clinician, client):
    page = Page.objects.get(slug="vegf")
    assert review_action(editor_client, page).status_code == 302
    data = form_data(editor_client.get(change_url(page)))
    data["order"] = "55"  # not words
    assert editor_client.post(change_url(page), data).status_code == 302
    page.refresh_from_db()
    assert page.order == 55
    assert page.review_is_current
    assert "Last clinically reviewed" in page_text(client, "/en/learn/vegf/")

    data["body_zh_hans"] += "\r\n补充。"  # words: the review no longer applies
    assert editor_client.post(change_url(page), data).status_code == 302
    page.refresh_from_db()
    assert not page.review_is_current
    assert "Not yet clinically reviewed" in page_text(client, "/en/learn/vegf/")


@pytest.fixture
def clinician(editor):
    return EditorProfile.objects.create(
        user=editor, display_name="Dr Edith Bloom", clinical_role="Consultant haematologist"
    )


def review_action(client, *pages):
    return client.post(
        "/admin/content/page/",
        {"action": "mark_clinically_reviewed", "_selected_action": [page.pk for page in pages]},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, "", "  "])
def test_the_review_action_refuses_an_editor_without_a_clinical_role(editor_client, editor, role):
    if role is not None:
        EditorProfile.objects.create(user=editor, display_name="Edith", clinical_role=role)
    page = Page.objects.get(slug="vegf")
    response = review_action(editor_client, page)
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("clinical role" in message for message in messages)
    page.refresh_from_db()
    assert page.reviewed_by is None
    assert page.reviewed_on is None
    assert not page.review_is_current


@pytest.mark.django_db
def test_the_review_action_records_a_clinicians_review(editor_client, clinician, client):
    pages = list(Page.objects.filter(slug__in=["vegf", "history"]))
    response = review_action(editor_client, *pages)
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert "2 pages marked reviewed." in messages
    for page in pages:
        page.refresh_from_db()
        assert page.reviewed_by == clinician
        assert page.review_is_current
        assert page.history.latest().history_change_reason == "Clinically reviewed"
    text = page_text(client, "/en/learn/vegf/")
    assert "by Dr Edith Bloom, Consultant haematologist." in text


# --- Deploys and editors' changes --------------------------------------------------------


@pytest.mark.django_db
def test_what_an_editor_changed_in_the_admin_survives_a_deploy(editor_client):
    page = Page.objects.get(slug="vegf")
    data = form_data(editor_client.get(change_url(page)))
    data["title_en"] = "VEGF, in the editor's words"
    assert editor_client.post(change_url(page), data).status_code == 302
    reference = Reference.objects.get(key="dsouza-2011")
    url = f"/admin/content/reference/{reference.pk}/change/"
    data = form_data(editor_client.get(url))
    data["citation"] = reference.citation + " (checked by the editor)"
    assert editor_client.post(url, data).status_code == 302
    history = editor_client.get(url.replace("/change/", "/history/"))
    assert history.status_code == 200
    assert "(checked by the editor)" in history.content.decode()

    out = io.StringIO()
    call_command("load_initial_content", stdout=out)
    page.refresh_from_db()
    reference.refresh_from_db()
    assert page.title_en == "VEGF, in the editor's words"
    assert reference.citation.endswith("(checked by the editor)")
    assert "2 kept as editors changed them (--refresh replaces them)" in out.getvalue()


@pytest.mark.django_db
def test_an_editor_changes_an_investigations_words_and_the_plan_shows_them(editor_client, client):
    from checklist.models import Investigation

    investigation = Investigation.objects.get(slug="fundoscopy")
    url = f"/admin/checklist/investigation/{investigation.pk}/change/"
    data = form_data(editor_client.get(url))
    data["label_ja"] = "眼底検査（散瞳）"
    assert editor_client.post(url, data).status_code == 302
    latest = investigation.history.latest()
    assert latest.history_user.username == "edith"
    assert latest.label_ja == "眼底検査（散瞳）"
    plan = client.get("/api/v1/evaluate?polyneuropathy=present&lang=ja").json()["workup"]
    assert "眼底検査（散瞳）" in [step["label"] for step in plan]
    history = editor_client.get(url.replace("/change/", "/history/"))
    assert history.status_code == 200
    assert "edith" in history.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["content/page", "content/reference", "checklist/investigation"])
def test_a_history_address_with_a_malformed_id_is_a_404_not_a_500(editor_client, model):
    assert editor_client.get(f"/admin/{model}/10%2Fchange/history/").status_code == 404
    assert editor_client.get(f"/admin/{model}/abc/history/").status_code == 404
