"""Staff groups and exactly what each may do in the admin (least privilege)."""

from django.contrib.auth.models import Group, Permission

CONTENT_EDITORS = "Content editors"
FRONT_DESK = "Front desk"

ALL = ("add", "change", "delete", "view")
WORK = ("change", "view")  # work through existing rows, never create or delete them
READ = ("view",)
KEEP = ("add", "change", "view")  # add and edit, never delete: past visits refer to them

# Group name -> {(app label, model name): actions}.
GROUP_PERMISSIONS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    CONTENT_EDITORS: {
        ("clinic", "clinicprofile"): ALL,
        ("clinic", "page"): ALL,
        ("clinic", "practitioner"): ALL,
        ("clinic", "urgentcaresign"): ALL,
        ("clinic", "question"): ALL,
        ("conditions", "condition"): ALL,
        ("conditions", "cause"): ALL,
    },
    FRONT_DESK: {
        ("booking", "appointmentrequest"): WORK,
        ("booking", "appointmentevent"): READ,
        ("booking", "waitlistentry"): READ,
        ("booking", "notification"): WORK,
        ("booking", "bookingsettings"): WORK,
        ("booking", "treatmenttype"): KEEP,
        ("booking", "practitionerdiary"): KEEP,
        ("booking", "workinghours"): ALL,
        ("booking", "timeoff"): ALL,
        ("clinic", "openinghours"): ALL,
        ("clinic", "closure"): ALL,
    },
}


def ensure_groups() -> None:
    """Create the staff groups and set their permissions to exactly the lists above."""
    for group_name, grants in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(
            Permission.objects.get(
                content_type__app_label=app_label, codename=f"{action}_{model_name}"
            )
            for (app_label, model_name), actions in grants.items()
            for action in actions
        )
