"""The "Editors" group (created by content 0002) may change the checklist's words."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
PERMISSIONS = {
    "finding": ("change", "view"),
    "historicalfinding": ("view",),
    "redflag": ("add", "change", "delete", "view"),
    "historicalredflag": ("view",),
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("checklist")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for model, actions in PERMISSIONS.items():
        for action in actions:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="checklist", codename=f"{action}_{model}"
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="checklist"))


class Migration(migrations.Migration):
    dependencies = [
        ("checklist", "0001_initial"),
        ("content", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
