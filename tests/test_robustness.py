"""Edge cases of privacy, caching and input: each test names the behaviour it guards."""

import logging
import re
import sys
import urllib.parse

import pytest
from django.test import Client

from checklist import labels
from checklist.models import Finding
from content.models import EditorProfile, Page
from poems_site.logging import JsonFormatter, strip_query

pytestmark = pytest.mark.django_db


def language_hrefs(response):
    return re.findall(r'href="([^"]*)" lang="(?:en|zh-hans|ja)"', response.content.decode())


def test_the_cached_page_never_carries_another_visitors_checklist(client):
    """The first request builds the cached page skeleton; nothing of it may stay there."""
    first = client.get("/en/checklist/?polyneuropathy=present&utm_source=x'y")
    assert first.status_code == 200
    second = Client().get("/en/checklist/?castleman_disease=absent")
    third = Client().get("/en/checklist/")
    for href in language_hrefs(second):
        assert href.endswith("/checklist/?castleman_disease=absent")
    for href in language_hrefs(third):
        assert href.endswith("/checklist/")


@pytest.mark.parametrize("tracking", ["utm_campaign=caf%E9", "fbclid=%C0", "gclid=%FF%FE"])
def test_a_garbled_tracking_key_costs_nothing(client, tracking):
    body = client.get(f"/api/v1/evaluate?polyneuropathy=present&{tracking}").json()
    assert body["findings"]["polyneuropathy"] == "present"


def test_a_garbled_field_is_reported_alone_and_the_rest_is_kept(client):
    response = client.get("/en/checklist/?polyneuropathy=present&papilledema=%E9")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-papilledema"' in html
    assert re.search(r'name="polyneuropathy" value="present" checked', html)
    api = client.get("/api/v1/evaluate?polyneuropathy=present&papilledema=%E9")
    assert list(api.json()["errors"]) == ["papilledema"]


@pytest.mark.parametrize("value", ["200.1234567", "00000001", "1000000", ".5", "7."])
def test_any_plain_decimal_up_to_a_million_is_a_vegf(client, value):
    response = client.get(f"/api/v1/evaluate?vegf={value}&vegf_specimen=plasma")
    assert response.status_code == 200, response.content
    assert response.json()["measurements"]["vegf"]["value"] == float(value)


@pytest.mark.parametrize("value", ["+200", "%20200", "200%20", "1e3", "1,000", "1000000.5"])
def test_anything_else_is_not_a_vegf(client, value):
    response = client.get(f"/api/v1/evaluate?vegf={value}&vegf_specimen=plasma")
    assert response.status_code == 400
    assert "vegf" in response.json()["errors"]


def test_a_short_link_keeps_a_precise_vegf(client):
    page = client.get("/en/checklist/?vegf=200.1234567&vegf_specimen=plasma")
    code = re.search(r'href="/c/([^"]+)"', page.content.decode()).group(1)
    redirect = client.get(f"/c/{code}")
    assert redirect.status_code == 302
    assert "vegf=200.1234567" in redirect["Location"]


@pytest.mark.parametrize("query", ["%00", "%E3%81%82%00", "VEGF%07"])
def test_control_characters_in_a_search_are_dropped(client, query):
    response = client.get(f"/en/learn/?q={query}")
    assert response.status_code == 200
    searched = re.search(r'name="q"[^>]*value="([^"]*)"', response.content.decode())
    assert searched is not None
    assert all(character.isprintable() for character in searched.group(1))
    assert searched.group(1) == urllib.parse.unquote(query).replace("\x00", "").replace("\x07", "")


def test_an_error_page_for_an_address_with_a_query_is_not_stored(client):
    response = client.get("/en/learn/no-such-page/?from=1A&polyneuropathy=present")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_the_api_answers_json_even_when_something_breaks(client, monkeypatch):
    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setattr("checklist.api.finding_words", broken)
    response = client.get("/api/v1/evaluate?polyneuropathy=present")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert "errors" in response.json()


def test_a_reviewers_new_name_reaches_the_pages_they_reviewed(client, django_user_model):
    user = django_user_model.objects.create_user("reviewer", password="x" * 20)
    profile = EditorProfile.objects.create(
        user=user, display_name="Dr A", clinical_role="Neurologist"
    )
    page = Page.objects.get(slug="vegf")
    page.mark_reviewed(profile, page.updated_at.date())
    page.save()
    assert "Dr A, Neurologist" in client.get("/en/learn/vegf/").content.decode()
    profile.display_name = "Dr B"
    profile.save()
    assert "Dr B, Neurologist" in client.get("/en/learn/vegf/").content.decode()
    profile.clinical_role = ""
    profile.save()
    assert "Not yet clinically reviewed" in client.get("/en/learn/vegf/").content.decode()


def test_log_lines_never_keep_a_query_string():
    line = "GET /en/checklist/?utm_source=x'y&polyneuropathy=present HTTP/1.1"
    assert strip_query(line) == "GET /en/checklist/ HTTP/1.1"
    try:
        raise ValueError("/en/checklist/?polyneuropathy=present failed")
    except ValueError:
        record = logging.makeLogRecord({"msg": "boom", "levelname": "ERROR"})
        record.exc_info = sys.exc_info()
    assert "polyneuropathy" not in JsonFormatter().format(record)


def test_words_are_reread_after_an_editors_change(client):
    assert "Nail clubbing (edited)" not in client.get("/en/checklist/").content.decode()
    assert labels.finding_words("en")["clubbing"].label  # the words are cached now
    finding = Finding.objects.get(slug="clubbing")
    finding.label_en = "Nail clubbing (edited)"
    finding.save()
    assert "Nail clubbing (edited)" in client.get("/en/checklist/").content.decode()


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails, as when PostgreSQL stops answering mid-flight."""
    from django.db import OperationalError
    from django.db.models.sql.compiler import SQLCompiler

    def refuse(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(SQLCompiler, "execute_sql", refuse)


CHECKLIST = (
    "polyneuropathy=present&m_protein_ife=present&papilledema=present&vegf=350&vegf_specimen=plasma"
)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (f"/en/checklist/?{CHECKLIST}", ["Papilloedema", "Criteria met"]),
        (f"/ja/checklist/?{CHECKLIST}", ["乳頭浮腫"]),
        (f"/zh-hans/checklist/print/?{CHECKLIST}", ["视乳头水肿"]),
        (f"/en/checklist/note.txt?{CHECKLIST}", ["Papilloedema"]),
        (f"/api/v1/evaluate?{CHECKLIST}", ["Skin and nail examination"]),
    ],
)
def test_the_checklist_works_while_the_database_is_down(client, database_down, path, words):
    """The rules need no database: the checklist, its result, the note and the API answer
    with the release's own words (security review F4), never a 500."""
    response = client.get(path)
    assert response.status_code == 200
    text = response.content.decode()
    for word in words:
        assert word in text


def test_words_shown_while_the_database_was_down_do_not_outlive_the_outage(client, monkeypatch):
    """Parts built from the release's own words during an outage must not be served once
    the database answers again: an editor's words come back."""
    from django.db import OperationalError
    from django.db.models.sql.compiler import SQLCompiler

    finding = Finding.objects.get(slug="papilledema")
    finding.label_en = "Swollen optic discs (the editor's words)"
    finding.save()  # a new content generation: nothing is remembered for it yet

    def refuse(*args, **kwargs):
        raise OperationalError("the database is down")

    with monkeypatch.context() as outage:
        outage.setattr(SQLCompiler, "execute_sql", refuse)
        during = client.get("/en/checklist/?papilledema=present").content.decode()
        assert "the editor&#39;s words" not in during
    after = client.get("/en/checklist/?papilledema=present").content.decode()
    assert "the editor&#39;s words" in after
