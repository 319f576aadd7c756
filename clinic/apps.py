from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"


class LoginLockoutsConfig(AxesAppConfig):
    """django-axes, under a heading staff understand (only superusers see its tables)."""

    verbose_name = "Login lockouts"
