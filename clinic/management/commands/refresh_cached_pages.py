"""After a deploy: pages and fragments cached by the previous release are not served again."""

from django.core.management.base import BaseCommand

from clinic.cache import public_pages_changed


class Command(BaseCommand):
    help = "Make every cached public page stale (run after each deploy)."

    def handle(self, *args, **options) -> None:
        public_pages_changed()
        self.stdout.write("Cached pages will be rendered afresh.")
