"""Add the built-in connection practices (docs/connection.md) to databases migrated before them.

``0002_builtin_library`` loads whatever the library holds when it runs, so a new database has
them already; this adds the missing ones to an existing database and leaves the rest alone.
"""

from django.db import migrations

SLUGS = ("reach-out", "moment-of-connection", "show-up")


def load(apps, schema_editor):
    from alliance.practice.library import LIBRARY

    Practice = apps.get_model("practice", "Practice")
    for p in LIBRARY:
        if p.slug not in SLUGS:
            continue
        Practice.objects.get_or_create(
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
    dependencies = [("practice", "0006_facilitator_state")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
