"""Small items of the security review: the CSRF failure page in the site's style, under
the CSP (F9, F11), and the static-files manifest kept private (F13)."""

import pytest
from django.core.management import call_command
from django.test import Client

from tests.html import has_class, parse_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_a_csrf_failure_is_the_sites_own_page(strict_client):
    response = strict_client.post("/admin/login/", {"username": "editor", "password": "x"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    page = parse_html(response)
    header = page.find(".//header")
    assert header is not None and has_class(header, "site-header")
    assert page.find(".//h1") is not None
    html = response.content.decode()
    # The CSP allows no inline style: the page needs none, and uses the site's sheet.
    assert "<style" not in html
    assert "style=" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert '<link rel="stylesheet" href="/static/css/site' in html
    # It says how to go on, and where.
    assert 'href="/admin/login/"' in html


def test_the_csrf_failure_page_speaks_the_visitors_language(strict_client):
    response = strict_client.post("/admin/login/", {}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 403
    assert parse_html(response).find(".//html").get("lang") == "ja"


def collect_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)


def test_the_static_files_manifest_is_not_served(settings, tmp_path):
    collect_static(settings, tmp_path)
    assert (tmp_path / "staticfiles.json").exists()
    client = Client()  # a new handler, so WhiteNoise reads the new STATIC_ROOT
    assert client.get("/static/staticfiles.json").status_code == 404
    page = client.get("/en/").content.decode()
    css = next(part for part in page.split('"') if part.startswith("/static/css/site."))
    response = client.get(css)
    response.close()
    assert response.status_code == 200


def test_nor_when_static_files_are_looked_up_on_each_request(settings, tmp_path):
    """Development and tests: WhiteNoise looks files up as they are asked for."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text('{"paths": {}}')
    (tmp_path / "other.json").write_text("{}")
    client = Client()
    assert client.get("/static/staticfiles.json").status_code == 404
    other = client.get("/static/other.json")
    other.close()
    assert other.status_code == 200


@pytest.mark.parametrize(
    "path", ["/c/abc%2Fdef", "/c/2000000001P350M/extra", "/en/checklist/c/a/b", "/ja/checklist/c/"]
)
def test_an_unknown_address_under_a_short_link_is_not_stored(client, path):
    """It may hold a checklist's code (F11): the 404 is never stored, like the page itself."""
    response = client.get(path)
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
