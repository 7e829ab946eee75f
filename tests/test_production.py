"""Production concerns: admin lock-out, configurable admin URL, hashed static files and
page weight (the deploy check is in test_site.py, with the other settings tests)."""

import gzip
import importlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import clear_url_caches

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_admin_sign_in_is_locked_out_after_repeated_failures(client, django_user_model):
    django_user_model.objects.create_user("editor", password="right-password-123", is_staff=True)
    url = "/admin/login/?next=/admin/"
    for _ in range(django_settings.SIGNIN_FAILURES_PER_ACCOUNT - 1):
        response = client.post(url, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    last_try = client.post(url, {"username": "editor", "password": "wrong"})
    assert last_try.status_code == 429
    locked = client.post(url, {"username": "editor", "password": "right-password-123"})
    assert locked.status_code == 429
    other = Client().post(url, {"username": "someone-else", "password": "wrong"})
    assert other.status_code == 200  # the lock-out is per account and address


def test_a_correct_sign_in_works_before_the_limit(client, django_user_model):
    django_user_model.objects.create_user("editor", password="right-password-123", is_staff=True)
    client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": "right-password-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def reload_urls():
    clear_url_caches()
    importlib.reload(importlib.import_module("poems_site.urls"))


@pytest.fixture
def admin_moved():
    with override_settings(ADMIN_URL="staff-only/"):
        reload_urls()
        yield
    reload_urls()


def test_the_admin_url_is_configurable(admin_moved):
    client = Client()
    assert client.get("/staff-only/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404


def test_admin_pages_carry_the_security_headers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_site_serves_hashed_compressed_static_files(settings, tmp_path):
    """collectstatic with the production storage, then the pages link hashed files that
    WhiteNoise serves with a long cache lifetime and a compressed variant."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()  # a new handler, so WhiteNoise reads the new STATIC_ROOT
    page = client.get("/en/checklist/").content.decode()
    css = next(part for part in page.split('"') if part.startswith("/static/css/site."))
    assert css != "/static/css/site.css"  # hashed name
    response = client.get(css, HTTP_ACCEPT_ENCODING="gzip")
    response.close()  # a file response: release the file
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Encoding"] in ("gzip", "br")


def test_checklist_page_with_css_and_js_is_small(client):
    """Under 60 KB compressed, and nothing fetched from another host."""
    html = client.get(
        "/en/checklist/?polyneuropathy=present&monoclonal_plasma_cell_disorder=present"
    ).content
    assets = [ROOT / "static/css/site.css", ROOT / "static/js/checklist.js"]
    total = len(gzip.compress(html)) + sum(len(gzip.compress(p.read_bytes())) for p in assets)
    assert total < 60_000
    text = html.decode()
    for attribute in ('src="http', "src='http", 'href="//', "@import"):
        assert attribute not in text
    stylesheets = [part for part in text.split('"') if part.endswith(".css")]
    assert stylesheets and all(path.startswith("/static/") for path in stylesheets)
