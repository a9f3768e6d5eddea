"""Let a retention purge erase whom an access-log row was about, and nothing else.

The log stays append-only for every other change: an UPDATE passes only when it clears the
participant, the enrollment and the path (``ERASED_PATH``) and leaves who, when, which page,
method, status and outcome as they were; DELETE (and TRUNCATE on PostgreSQL) is still refused.
Staff accountability survives the purge (who opened how many records, when), the man does not.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState

REFUSAL = "the access log is append-only"
#: What the path becomes when the row is de-identified (kept in step with audit/services.py).
ERASED_PATH = ""

_UNCHANGED = " AND ".join(
    f'NEW."{column}" = OLD."{column}"'
    for column in ("id", "at", "user_id", "username", "url_name", "method", "status", "outcome")
)
ERASES_SUBJECT = (
    f'NEW."participant_id" IS NULL AND NEW."enrollment_id" IS NULL '
    f"AND NEW.\"path\" = '{ERASED_PATH}' AND {_UNCHANGED}"
)

SQLITE = [
    'DROP TRIGGER "audit_accessevent_no_update"',
    f"""CREATE TRIGGER "audit_accessevent_no_update" BEFORE UPDATE ON "audit_accessevent"
    WHEN NOT ({ERASES_SUBJECT})
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
]
SQLITE_REVERSE = [
    'DROP TRIGGER "audit_accessevent_no_update"',
    f"""CREATE TRIGGER "audit_accessevent_no_update" BEFORE UPDATE ON "audit_accessevent"
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
]

POSTGRESQL = [
    f"""CREATE FUNCTION "audit_accessevent_erase_only"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND {ERASES_SUBJECT} THEN RETURN NEW; END IF;
      RAISE EXCEPTION '{REFUSAL}';
    END; $$""",
    'DROP TRIGGER "audit_accessevent_no_change" ON "audit_accessevent"',
    """CREATE TRIGGER "audit_accessevent_no_change" BEFORE UPDATE OR DELETE
    ON "audit_accessevent" FOR EACH ROW EXECUTE FUNCTION "audit_accessevent_erase_only"()""",
]
POSTGRESQL_REVERSE = [
    'DROP TRIGGER "audit_accessevent_no_change" ON "audit_accessevent"',
    """CREATE TRIGGER "audit_accessevent_no_change" BEFORE UPDATE OR DELETE
    ON "audit_accessevent" FOR EACH ROW EXECUTE FUNCTION "audit_accessevent_refuse"()""",
    'DROP FUNCTION "audit_accessevent_erase_only"()',
]

BY_VENDOR = {
    "sqlite": (SQLITE, SQLITE_REVERSE),
    "postgresql": (POSTGRESQL, POSTGRESQL_REVERSE),
}


class VendorSQL(migrations.RunSQL):
    """RunSQL with one list of statements per database vendor."""

    def __init__(self) -> None:
        super().__init__(sql=[], reverse_sql=[])

    def _run(self, schema_editor: BaseDatabaseSchemaEditor, index: int) -> None:
        vendor = schema_editor.connection.vendor
        if vendor not in BY_VENDOR:
            raise NotImplementedError(f"The access log has no SQL for {vendor}.")
        for statement in BY_VENDOR[vendor][index]:
            schema_editor.execute(statement, params=None)

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._run(schema_editor, 0)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._run(schema_editor, 1)

    def describe(self) -> str:
        return "Let a retention purge erase an access-log row's subject, and nothing else"


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [VendorSQL()]
