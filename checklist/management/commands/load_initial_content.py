from django.core.management.base import BaseCommand, CommandError

from checklist.loader import load_initial_content
from content.loader import ContentError


class Command(BaseCommand):
    help = (
        "Load the shipped references, pages, checklist words, red flags and investigations. "
        "Creates what is missing, brings what no editor changed up to the files and keeps "
        "what editors changed in the admin; --refresh replaces that too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Overwrite with the shipped files also what editors changed.",
        )

    def handle(self, *args, refresh=False, **options):
        try:
            report = load_initial_content(refresh=refresh)
        except ContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Content: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.kept)} kept as editors changed them"
            f"{' (--refresh replaces them)' if report.kept else ''}."
        )
