"""`make run` tells a newcomer how to sign in: a local admin, on debug sites only."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from content.management.commands import ensure_local_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_file(tmp_path, monkeypatch):
    path = tmp_path / ".local-admin-password"
    monkeypatch.setattr(ensure_local_admin, "PASSWORD_FILE", path)
    return path


def test_creates_an_admin_and_prints_its_password_once_stored(settings, password_file, capsys):
    settings.DEBUG = True
    call_command("ensure_local_admin")
    password = password_file.read_text().strip()
    assert f"password '{password}'" in capsys.readouterr().out
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    call_command("ensure_local_admin")  # a second run keeps the account and says the same
    assert f"password '{password}'" in capsys.readouterr().out
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_reset_gives_a_new_password(settings, password_file, capsys):
    settings.DEBUG = True
    call_command("ensure_local_admin")
    first = password_file.read_text().strip()
    call_command("ensure_local_admin", "--reset")
    second = password_file.read_text().strip()
    assert first != second
    assert get_user_model().objects.get(username="admin").check_password(second)


def test_refuses_on_a_site_without_debug(settings, password_file):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only for DEBUG"):
        call_command("ensure_local_admin")
    assert not get_user_model().objects.filter(username="admin").exists()
    assert not password_file.exists()
