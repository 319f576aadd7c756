"""Make sure someone can log in to the admin, and say how."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin"
# The one command that resets a forgotten password, run from the project folder (README).
RESET_COMMAND = ".venv/bin/python manage.py changepassword {username}"


class Command(BaseCommand):
    help = "Create a staff login if none exists (with a random password, shown once)."

    def handle(self, *args, **options) -> None:
        admin_url = f"{settings.SITE_URL}/{settings.ADMIN_PATH}"
        users = get_user_model().objects
        existing = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if existing:
            username = existing.get_username()
            self.stdout.write(
                f"Staff login: {admin_url} as “{username}”. Forgotten the password? "
                + RESET_COMMAND.format(username=username)
            )
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser(USERNAME, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a staff login for {admin_url}\n"
                f"    username: {USERNAME}\n"
                f"    password: {password}\n"
                "This password is shown only now: change it after logging in "
                "(top right, “Change password”)."
            )
        )
