"""POST /evaluation/follow-up/import/: all-or-nothing CSV import of follow-up records."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.outcomes.models import FollowUp, FollowUpImport, OutcomeEvent
from tests.outcomes.cohort import COLUMNS
from tests.web.helpers import text

URL = "/evaluation/follow-up/import/"


def upload(client, body: str, name: str = "follow-up.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, body.encode(), "text/csv")})


GOOD = "\n".join(
    [
        COLUMNS,
        "RIV-101,follow_up,official_record,,,2024-03-01,2025-03-01,",
        "RIV-101,event,,ipv_charge,2024-06-02,,,",
        "RIV-102,follow_up,partner_report,,,2024-03-01,2024-09-01,6",
        "RIV-102,event,partner_report,partner_physical_abuse,2024-05-05,,,",
    ]
)


def test_manager_imports_a_valid_file(world, as_user) -> None:
    response = upload(as_user(world.mona), GOOD)
    assert response.status_code == 200
    assert "Imported 4 rows: 2 follow-ups and 2 events." in text(response)
    batch = FollowUpImport.objects.get()
    assert batch.imported_by == world.mona
    assert (batch.rows, batch.follow_ups, batch.events) == (4, 2, 2)
    event = OutcomeEvent.objects.get(kind="ipv_charge")
    assert event.participant == world.good.participant
    assert event.source == "official_record"
    assert event.imported_in == batch
    partner = FollowUp.objects.get(source="partner_report")
    assert partner.checkpoint_months == 6


def test_one_bad_row_rejects_the_whole_file_and_reports_every_problem(world, as_user) -> None:
    body = "\n".join(
        [
            COLUMNS,
            "RIV-101,follow_up,official_record,,,2024-03-01,2025-03-01,",  # fine
            "RIV-999,event,,ipv_charge,2024-06-02,,,",  # unknown man
            "RIV-101,event,,ipv_charge,2024-13-02,,,",  # bad date
            "RIV-101,event,,shouting,2024-06-02,,,",  # bad kind
            "RIV-102,follow_up,partner_report,,,2024-03-01,2024-09-01,9",  # bad checkpoint
            "RIV-102,follow_up,official_record,,,2024-09-01,2024-03-01,",  # window backwards
            "RIV-103,event,,partner_physical_abuse,2024-05-05,,,",  # no partner window
            "RIV-103,event,official_record,partner_physical_abuse,2024-05-05,,,",  # wrong source
            "RIV-104,event,,any_offence,2025-04-01,,,",  # in the future
            "RIV-201,event,,any_offence,2024-04-01,,,",  # man of another site
        ]
    )
    response = upload(as_user(world.mona), body)
    assert response.status_code == 400
    page = text(response)
    assert "Nothing was imported" in page
    expected = [
        ("3", "participant", "no participant &#x27;RIV-999&#x27; in your programs"),
        ("4", "date", "is not a date"),
        ("5", "kind", "&#x27;shouting&#x27; is not one of"),
        ("6", "checkpoint_months", "partner interviews are at 6 or 12 months"),
        ("7", "window_end", "is before window_start"),
        ("8", "date", "outside every partner interview window"),
        ("9", "source", "partner_physical_abuse comes from partner_report"),
        ("10", "date", "2025-04-01 is in the future"),
        ("11", "participant", "no participant &#x27;RIV-201&#x27;"),
    ]
    for line, column, reason in expected:
        assert f"<td>{line}</td><td>{column}</td>" in page, (line, column)
        assert reason in page, reason
    # All or nothing: the good row on line 2 was not written either.
    assert FollowUp.objects.count() == 0
    assert OutcomeEvent.objects.count() == 0
    assert FollowUpImport.objects.count() == 0


def test_a_missing_column_is_named(world, as_user) -> None:
    response = upload(as_user(world.mona), "participant,record\nRIV-101,event\n")
    assert response.status_code == 400
    assert "<td>1</td><td>source</td><td>missing from the header</td>" in text(response)


def test_importing_the_same_file_twice_rejects_the_duplicates(world, as_user) -> None:
    client = as_user(world.olga)
    assert upload(client, GOOD).status_code == 200
    again = upload(client, GOOD)
    assert again.status_code == 400
    assert "already recorded" in text(again)
    assert OutcomeEvent.objects.count() == 2


def test_evaluator_supervisor_facilitator_and_partner_safety_cannot_import(world, as_user) -> None:
    for user in (world.eve, world.alice, world.bob, world.petra):
        client = as_user(user)
        assert client.get(URL).status_code == 404, user
        assert upload(client, GOOD).status_code == 404, user
    assert OutcomeEvent.objects.count() == 0


def test_another_organizations_admin_cannot_reach_riversides_men(world, as_user) -> None:
    response = upload(as_user(world.outsider), GOOD)
    assert response.status_code == 400
    assert "no participant &#x27;RIV-101&#x27; in your programs" in text(response)
    assert OutcomeEvent.objects.count() == 0


def test_the_import_form_is_shown_to_a_manager(world, as_user) -> None:
    response = as_user(world.mona).get(URL)
    assert response.status_code == 200
    assert "participant,record,source,kind,date" in text(response)


# --- Bad input: over-long values, floods of bad rows, oversized bodies (finding L4) --------


def test_a_value_over_the_csv_modules_limit_is_refused_naming_its_row(world, as_user) -> None:
    huge = "X" * (128 * 1024 + 1)  # the csv module refuses values over 131,072 characters
    body = "\n".join(
        [
            COLUMNS,
            "RIV-101,follow_up,official_record,,,2024-03-01,2025-03-01,",
            f"RIV-101,event,,ipv_charge,{huge},,,",
        ]
    )

    response = upload(as_user(world.mona), body)

    assert response.status_code == 400
    page = text(response)
    assert "<td>3</td><td>—</td><td>cannot be read as CSV" in page
    assert "XXXXXXXXXX" not in page
    assert len(response.content) < 20_000
    assert FollowUp.objects.count() == 0


def test_a_long_value_is_refused_without_being_quoted_back(world, as_user) -> None:
    long_code = "RIV-" + "9" * 128_000

    response = upload(
        as_user(world.mona), f"{COLUMNS}\n{long_code},event,,ipv_charge,2024-06-02,,,"
    )

    assert response.status_code == 400
    page = text(response)
    assert "<td>2</td><td>participant</td><td>longer than 100 characters</td>" in page
    assert "9999999999" not in page
    assert len(response.content) < 20_000


def test_three_megabytes_of_bad_rows_give_a_short_report_that_counts_the_rest(
    world, as_user
) -> None:
    bad_rows = [f"RIV-{9000 + n % 900},event,,ipv_charge,2024-06-02,,," for n in range(75_000)]
    body = "\n".join([COLUMNS, *bad_rows])
    assert len(body) > 3_000_000

    response = upload(as_user(world.mona), body)

    assert response.status_code == 400
    page = text(response)
    assert "Nothing was imported: 75000 problems in 75000 rows." in page
    assert page.count("<tr><td>") == 100
    assert "<td>2</td><td>participant</td>" in page  # the first problems, in file order
    assert "<td>101</td><td>participant</td>" in page
    assert "<td>102</td>" not in page
    assert "and 74900 more" in page
    assert len(response.content) < 64_000
    assert FollowUpImport.objects.count() == 0


def test_a_body_over_the_request_limit_is_refused_before_it_is_read(
    world, as_user, settings
) -> None:
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    client = as_user(world.mona)
    body = GOOD + "\n" + "\n".join(["RIV-101,event,,ipv_charge,2024-06-02,,,"] * 40_000)
    assert len(body) > 1024 * 1024

    response = upload(client, body)

    assert response.status_code == 413
    assert "larger than 1 MB" in text(response)
    assert len(response.content) < 2_000
    assert FollowUpImport.objects.count() == 0
    assert upload(client, GOOD).status_code == 200  # a normal file still goes through
