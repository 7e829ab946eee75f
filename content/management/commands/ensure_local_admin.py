"""A local admin account for a developer's first run, never on a production site."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = Path(settings.BASE_DIR) / ".local-admin-password"
USERNAME = "admin"


class Command(BaseCommand):
    help = "Create (or with --reset, re-password) the local 'admin' superuser; debug only."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Set a new password.")

    def handle(self, *args, reset=False, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing: a local admin account is only for DEBUG sites.")
        users = get_user_model()
        user = users.objects.filter(username=USERNAME).first()
        if user is not None and not reset:
            password = PASSWORD_FILE.read_text().strip() if PASSWORD_FILE.exists() else None
            self._announce(password)
            return
        password = secrets.token_urlsafe(12)
        if user is None:
            user = users.objects.create_superuser(USERNAME, "", password)
        else:
            user.set_password(password)
            user.save()
        PASSWORD_FILE.write_text(password + "\n")
        PASSWORD_FILE.chmod(0o600)
        self._announce(password)

    def _announce(self, password):
        port = os.environ.get("PORT", "8000")
        admin_url = f"http://127.0.0.1:{port}/{settings.ADMIN_URL}"
        if password:
            message = f"Admin: {admin_url}  user '{USERNAME}'  password '{password}'"
        else:
            message = f"Admin: {admin_url}  user '{USERNAME}' (new password: make admin-password)"
        self.stdout.write(self.style.SUCCESS(message))
