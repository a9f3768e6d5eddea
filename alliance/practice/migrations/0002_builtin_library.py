"""Load the built-in practice library (``alliance.practice.library``)."""

from django.db import migrations


def load(apps, schema_editor):
    from alliance.practice.library import LIBRARY

    Practice = apps.get_model("practice", "Practice")
    for p in LIBRARY:
        Practice.objects.update_or_create(
            organization=None,
            slug=p.slug,
            defaults={
                "title": p.title,
                "purpose": p.purpose,
                "steps": "\n".join(p.steps),
                "script": p.script,
                "minutes": p.minutes,
                "introduced_in_session": p.session,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("practice", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
