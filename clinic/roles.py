"""Staff groups and exactly what each may do in the admin (least privilege)."""

from django.contrib.auth.models import Group, Permission

CONTENT_EDITORS = "Content editors"

# Group name -> {app label: [model names]}; members get add/change/delete/view on each.
GROUP_MODELS: dict[str, dict[str, list[str]]] = {
    CONTENT_EDITORS: {
        "clinic": ["clinicprofile", "page", "practitioner"],
        "conditions": ["condition", "cause"],
    },
}
ACTIONS = ("add", "change", "delete", "view")


def ensure_groups() -> None:
    """Create the staff groups and set their permissions to exactly the list above."""
    for group_name, models_by_app in GROUP_MODELS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = [
            Permission.objects.get(
                content_type__app_label=app_label, codename=f"{action}_{model_name}"
            )
            for app_label, model_names in models_by_app.items()
            for model_name in model_names
            for action in ACTIONS
        ]
        group.permissions.set(permissions)
