"""What several browser test modules share: window sizes and the editor in the admin."""

import importlib
import re

from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
EDITOR = "edith"
PASSWORD = "a-long-editor-passphrase-7193"


def make_editor(django_user_model):
    """A staff user in "Editors", the group the data migration makes.

    transactional_db empties every table after each test (the group too), so the group
    is made again from the migration's own list of permissions.
    """
    migration = importlib.import_module("content.migrations.0002_editors_group")
    group, _created = Group.objects.get_or_create(name=migration.GROUP)
    for app_label, models in migration.PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    user = django_user_model.objects.create_user(EDITOR, password=PASSWORD, is_staff=True)
    user.groups.add(group)
    return user


def admin_sign_in(page, username=EDITOR):
    """Sign in through the admin's form (in whatever language the browser asks for)."""
    page.goto("/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator('#login-form [type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
