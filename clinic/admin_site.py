"""The staff's admin site: the clinic's own work first on the start page, accounts and login
security after it."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

# Apps in the order the start page lists them; any other app follows, by name.
START_PAGE_ORDER = ["booking", "clinic", "conditions", "auth", "axes"]


class ClinicAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        place = {label: number for number, label in enumerate(START_PAGE_ORDER)}
        return sorted(apps, key=lambda app: (place.get(app["app_label"], len(place)), app["name"]))


class ClinicAdminConfig(AdminConfig):
    default_site = "clinic.admin_site.ClinicAdminSite"
