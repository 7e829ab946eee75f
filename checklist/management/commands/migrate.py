"""`migrate`, the one command that may create the SQLite database file.

The settings open SQLite read-write only (`mode=rw`, poems_site/settings/base.py), so
that a serving process never turns a missing file into a new, empty database. The
first `migrate` of a checkout or a deployment (`make run` does one) has to create
the file: this command does so, then runs Django's own `migrate`.
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.management.commands import migrate
from django.db import connections


def sqlite_file_opened_read_write(name):
    """The file that a `file:...?mode=rw` database name opens, else None."""
    parts = urlsplit(str(name))
    if parts.scheme != "file" or parse_qs(parts.query).get("mode") != ["rw"]:
        return None
    return Path(unquote(parts.path))


class Command(migrate.Command):
    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor == "sqlite":
            path = sqlite_file_opened_read_write(connection.settings_dict["NAME"])
            if path is not None and not path.exists():
                path.touch()  # an empty file is an empty SQLite database
        return super().handle(*args, **options)
