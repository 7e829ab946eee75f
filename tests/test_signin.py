"""Admin sign-in behind a reverse proxy (security review F7): the client's address comes
from X-Forwarded-For only when a trusted proxy is configured, and an address is locked
out after 20 failures across usernames, besides the lock-out of one account from one
address."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import Client, RequestFactory

from poems_site.settings.base import client_address_settings
from tests.test_site import PRODUCTION_ENV, settings_values

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "right-password-123"
PROXY = "10.0.0.2"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


@pytest.fixture
def behind_one_proxy(settings):
    order, count = client_address_settings(1)
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = order
    settings.AXES_IPWARE_PROXY_COUNT = count


def sign_in(username, password, address, forwarded_for=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return Client().post(LOGIN, {"username": username, "password": password}, **headers)


def client_address(remote_addr, forwarded_for):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return get_client_ip_address(request)


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored():
    assert client_address("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    assert client_address("203.0.113.9", "198.51.100.1, 198.51.100.2") == "203.0.113.9"


def test_a_spoofed_x_forwarded_for_does_not_get_around_the_lock_out(editor):
    for attempt in range(5):
        sign_in("editor", "wrong", "203.0.113.9", forwarded_for=f"198.51.100.{attempt}")
    locked = sign_in("editor", PASSWORD, "203.0.113.9", forwarded_for="198.51.100.77")
    assert locked.status_code == 429


@pytest.mark.usefixtures("behind_one_proxy")
def test_behind_one_proxy_the_client_is_the_address_the_proxy_added():
    assert client_address(PROXY, "203.0.113.7") == "203.0.113.7"
    # Whatever a client sends itself stays on the left, and is ignored.
    assert client_address(PROXY, "198.51.100.1, 203.0.113.7") == "203.0.113.7"
    assert client_address(PROXY, "not-an-address, 203.0.113.7") == "203.0.113.7"


@pytest.mark.usefixtures("behind_one_proxy")
def test_behind_the_proxy_one_client_cannot_lock_an_editor_out_for_everyone(editor):
    for _ in range(5):
        sign_in("editor", "wrong", PROXY, forwarded_for="198.51.100.66")
    assert sign_in("editor", PASSWORD, PROXY, forwarded_for="198.51.100.66").status_code == 429
    # The editor, from elsewhere, through the same proxy.
    allowed = sign_in("editor", PASSWORD, PROXY, forwarded_for="203.0.113.7")
    assert allowed.status_code == 302
    assert allowed["Location"] == "/admin/"


def test_twenty_failures_from_one_address_across_usernames_lock_that_address(editor):
    attacker = "198.51.100.66"
    for number in range(10):  # two guesses each: no account is near its own limit
        for _ in range(2):
            response = sign_in(f"user{number}", "wrong", attacker)
    assert response.status_code == 429  # the twentieth failure
    assert sign_in("someone-new", "wrong", attacker).status_code == 429
    assert sign_in("editor", PASSWORD, attacker).status_code == 429
    # Another user from another address is not locked.
    allowed = sign_in("editor", PASSWORD, "203.0.113.7")
    assert allowed.status_code == 302


def test_nineteen_failures_across_usernames_lock_nothing(editor):
    address = "198.51.100.67"
    for number in range(19):
        assert sign_in(f"user{number}", "wrong", address).status_code == 200
    assert sign_in("editor", PASSWORD, address).status_code == 302


@pytest.mark.usefixtures("behind_one_proxy")
def test_behind_the_proxy_the_address_limit_counts_the_client_not_the_proxy(editor):
    for number in range(20):
        sign_in(f"user{number}", "wrong", PROXY, forwarded_for="198.51.100.66")
    assert sign_in("editor", PASSWORD, PROXY, forwarded_for="198.51.100.66").status_code == 429
    assert sign_in("editor", PASSWORD, PROXY, forwarded_for="203.0.113.7").status_code == 302


def test_an_unsafe_next_leads_to_the_admin_index(editor):
    response = Client().post(
        "/admin/login/?next=https://evil.example/", {"username": "editor", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_proxy_count_comes_from_the_environment():
    names = ("AXES_IPWARE_META_PRECEDENCE_ORDER", "AXES_IPWARE_PROXY_COUNT")
    alone = settings_values("production", PRODUCTION_ENV, *names)
    assert alone["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["REMOTE_ADDR"]
    assert alone["AXES_IPWARE_PROXY_COUNT"] is None
    proxied = settings_values("production", {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "1"}, *names)
    assert proxied["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["HTTP_X_FORWARDED_FOR"]
    # django-ipware counts the proxies listed in the header: the nearest is REMOTE_ADDR.
    assert proxied["AXES_IPWARE_PROXY_COUNT"] == 0
