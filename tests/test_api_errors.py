"""Every answer under /api/ is JSON, errors included, whatever the method or the path
(security review F9; contract: "never an HTML error from the API")."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EVALUATE = "/api/v1/evaluate?polyneuropathy=present"
OTHER_METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "FOO"]
ALL_METHODS = ["GET", "HEAD", *OTHER_METHODS]
NOT_API_ADDRESSES = [
    "/api/v1/evaluate/",
    "/api/v1/evaluate/?polyneuropathy=present",
    "/api/v1/evaluate/extra",
    "/api/v1/Evaluate",
    "/api/v1/",
    "/api/v2/evaluate",
    "/api/",
    "/api",
    "/api/v1/fhir/NoSuchResource",
    "/api/%E2%80%AE",
    "/api/..%2Fadmin%2F",
]


@pytest.fixture
def client():
    """A browser would send no CSRF token either: the checks stay on."""
    return Client(enforce_csrf_checks=True)


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    if response.content:  # HEAD has no body
        assert set(json.loads(response.content)) == {"errors"}
        assert b"<html" not in response.content.lower()


@pytest.mark.parametrize("method", OTHER_METHODS)
def test_any_other_method_on_the_api_is_a_json_405_with_allow(client, method):
    response = client.generic(method, EVALUATE)
    assert_json_error(response, 405)
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_get_and_head_evaluate(client, method):
    response = client.generic(method, EVALUATE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", NOT_API_ADDRESSES)
@pytest.mark.parametrize("method", ALL_METHODS)
def test_an_address_the_api_does_not_have_is_a_json_404(client, method, path):
    assert_json_error(client.generic(method, path), 404)


def test_a_body_sent_to_an_unknown_address_changes_nothing(client):
    response = client.post("/api/v1/evaluate/", {"polyneuropathy": "present"})
    assert_json_error(response, 404)
    assert not response.cookies


def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert client.get("/apiary").status_code == 404
    assert client.get("/apiary")["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", [EVALUATE, "/api/v1/nothing"])
def test_a_host_the_site_does_not_serve_is_a_json_400_under_the_api(client, path):
    """Django refuses the Host before any view runs; its error page must not be HTML."""
    assert_json_error(client.get(path, HTTP_HOST="evil.example"), 400)


def test_a_host_the_site_does_not_serve_is_an_operation_outcome_for_fhir(client):
    response = client.get("/api/v1/fhir/Questionnaire", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/fhir+json")
    assert json.loads(response.content)["resourceType"] == "OperationOutcome"


def test_a_host_the_site_does_not_serve_is_an_html_page_elsewhere(client):
    response = client.get("/en/checklist/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/evaluate", "application/json"), ("/api/v1/fhir/$evaluate", "application/fhir+json")],
)
def test_an_error_no_view_caught_is_still_in_the_apis_format(path, content_type):
    """handler500: what fails outside the API's own views (a middleware, say)."""
    from django.test import RequestFactory

    from poems_site.urls import handler500

    response = handler500(RequestFactory().get(path))
    assert response.status_code == 500
    assert response["Content-Type"].startswith(content_type)
    assert "no-store" in response["Cache-Control"]
