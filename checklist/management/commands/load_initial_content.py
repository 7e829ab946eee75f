from django.core.management.base import BaseCommand, CommandError

from checklist.loader import load_initial_content
from content.loader import ContentError


class Command(BaseCommand):
    help = (
        "Load the shipped references, pages, checklist words and red flags. Creates what "
        "is missing and keeps what editors changed; --refresh replaces shipped items with "
        "the files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Overwrite pages, findings and red flags with the shipped files.",
        )

    def handle(self, *args, refresh=False, **options):
        try:
            report = load_initial_content(refresh=refresh)
        except ContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Content: {len(report.created)} created, {len(report.refreshed)} refreshed, "
            f"{len(report.kept)} kept as edited."
        )
