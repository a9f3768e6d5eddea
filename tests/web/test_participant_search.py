"""GET /participants/search/?q= — search as you type (issue 18, D16): code, initials and the
name a role may see; paged; a full page or an HTMX fragment; organization scope; the access
log records a man only when his name is shown."""

from __future__ import annotations

from django.urls import reverse

from alliance.audit.models import AccessEvent
from alliance.organizations.models import FacilitatorIdentity
from alliance.participants.models import Participant
from tests.conftest import IDENTITY_ALIAS, IDENTITY_FIRST_NAME, IDENTITY_LAST_NAME
from tests.identity_fixture import give_identity
from tests.web.helpers import text

SEARCH = "/participants/search/"


def codes(response) -> list[str]:
    body = text(response)
    return [
        c
        for c in ("RIV-101", "RIV-102", "RIV-103", "RIV-104", "RIV-105", "RIV-201", "RIV-301")
        if f">{c}</a>" in body
    ]


def test_the_url_is_named_and_takes_a_get(world, as_user):
    assert reverse("participants:search") == SEARCH
    olga = as_user(world.olga)
    assert olga.get(SEARCH, {"q": "riv-10"}).status_code == 200
    assert olga.post(SEARCH, {"q": "riv-10"}).status_code == 405


def test_any_part_of_a_code_finds_him_and_initials_match_whole(world, as_user):
    Participant.objects.filter(pk=world.man_b.participant_id).update(initials="QZ")
    olga = as_user(world.olga)
    assert codes(olga.get(SEARCH, {"q": "103"})) == ["RIV-103"]
    assert codes(olga.get(SEARCH, {"q": "qz"})) == ["RIV-201"]
    assert codes(olga.get(SEARCH, {"q": "q"})) == []


def test_without_htmx_it_is_a_whole_page_and_with_htmx_only_the_results(world, as_user):
    olga = as_user(world.olga)
    full = olga.get(SEARCH, {"q": "riv-2"}).content.decode()
    part = olga.get(SEARCH, {"q": "riv-2"}, HTTP_HX_REQUEST="true")
    assert "<html" in full
    assert 'role="search"' in full
    assert 'id="results"' in full
    body = part.content.decode()
    assert "<html" not in body
    assert 'role="search"' not in body
    assert ">RIV-201</a>" in body
    assert "RIV-101" not in body
    assert "HX-Request" in part["Vary"]
    assert "no-store" in part["Cache-Control"]


def test_the_results_are_paged_with_links_that_keep_the_search(world, as_user):
    for n in range(30):
        Participant.objects.create(
            organization=world.riverside, code=f"RIV-9{n:02d}", birth_year=1980
        ).enrollments.create(
            program=world.program,
            referred_on=world.today,
            status_changed_on=world.today,
        )
    olga = as_user(world.olga)
    first = text(olga.get(SEARCH, {"q": "riv-9", "status": "referred"}))
    assert "30 men match" in first
    assert "1–25 shown" in first
    assert "Page 1 of 2" in first
    assert "?q=riv-9&amp;status=referred&amp;page=2" in first
    second = olga.get(SEARCH, {"q": "riv-9", "status": "referred", "page": "2"})
    assert codes(second) == []
    assert "RIV-929" in text(second)
    assert "RIV-900" not in text(second)
    assert "26–30 shown" in text(second)
    # A page past the end shows the last page, never an error.
    assert olga.get(SEARCH, {"q": "riv-9", "page": "99"}).status_code == 200


def test_a_facilitator_finds_only_men_in_her_groups(world, as_user):
    alice = as_user(world.alice)
    assert "RIV-201" not in text(alice.get(SEARCH, {"q": "riv"}))
    assert codes(alice.get(SEARCH, {"q": "201"})) == []


def test_another_organization_finds_none_of_riverside_by_code_or_name(world, as_user):
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    oscar = as_user(world.outsider)
    for q in ("RIV", IDENTITY_FIRST_NAME, IDENTITY_LAST_NAME):
        body = text(oscar.get(SEARCH, {"q": q})).replace(q, "(the query)")
        assert "0 men match" in body
        assert "RIV-" not in body
        assert IDENTITY_LAST_NAME not in body


def test_a_supervisor_finds_him_by_first_last_or_other_name_and_every_word_must_match(
    world, as_user
):
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    bob = as_user(world.bob)
    for q in (
        IDENTITY_FIRST_NAME[:4],
        IDENTITY_LAST_NAME.lower()[:6],
        IDENTITY_ALIAS[:5],
        f"{IDENTITY_FIRST_NAME[:3]} {IDENTITY_LAST_NAME[:2]}",
    ):
        assert codes(bob.get(SEARCH, {"q": q})) == ["RIV-101"], q
    assert codes(bob.get(SEARCH, {"q": f"{IDENTITY_FIRST_NAME} Nobody"})) == []


def test_a_facilitator_searches_only_the_first_name_and_last_initial_she_may_see(world, as_user):
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    alice = as_user(world.alice)
    assert codes(alice.get(SEARCH, {"q": IDENTITY_FIRST_NAME[:5]})) == ["RIV-101"]
    assert codes(alice.get(SEARCH, {"q": f"{IDENTITY_FIRST_NAME} {IDENTITY_LAST_NAME[0]}"})) == [
        "RIV-101"
    ]
    # Her page shows "First L.": the rest of the last name and his other names are not hers
    # to search, so they find nobody.
    for q in (IDENTITY_LAST_NAME[:6], IDENTITY_ALIAS[:6]):
        assert codes(alice.get(SEARCH, {"q": q})) == [], q


def test_where_facilitators_see_the_full_name_they_may_search_the_last_name(world, as_user):
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    world.riverside.facilitator_identity = FacilitatorIdentity.NAME
    world.riverside.save()
    alice = as_user(world.alice)
    assert codes(alice.get(SEARCH, {"q": IDENTITY_LAST_NAME[:6]})) == ["RIV-101"]
    assert codes(alice.get(SEARCH, {"q": IDENTITY_ALIAS[:6]})) == []


def test_a_name_shown_is_logged_a_code_alone_is_not(world, as_user):
    bob = as_user(world.bob)
    AccessEvent.objects.all().delete()
    bob.get(SEARCH, {"q": "riv-10"})
    assert not AccessEvent.objects.exists()  # codes only: no man's record was shown

    give_identity(world.good.participant, actor=world.ines, today=world.today)
    bob.get(SEARCH, {"q": IDENTITY_FIRST_NAME})
    logged = list(AccessEvent.objects.values_list("participant_id", "url_name"))
    assert logged == [(world.good.participant_id, "participants:search")]


def test_the_query_count_does_not_grow_with_the_men(world, as_user, django_assert_max_num_queries):
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    bob = as_user(world.bob)
    bob.get(SEARCH, {"q": "riv"})  # warm the session and membership caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert bob.get(SEARCH, {"q": IDENTITY_FIRST_NAME[:4]}).status_code == 200
            assert bob.get(SEARCH, {"q": "riv"}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(40):
        man = Participant.objects.create(
            organization=world.riverside, code=f"RIV-8{n:02d}", birth_year=1980
        )
        man.enrollments.create(
            program=world.program, referred_on=world.today, status_changed_on=world.today
        )
        give_identity(man, actor=world.ines, today=world.today)
    with django_assert_max_num_queries(few):
        bob.get(SEARCH, {"q": IDENTITY_FIRST_NAME[:4]})
        bob.get(SEARCH, {"q": "riv"})


def test_an_unknown_status_is_ignored_and_a_long_query_is_cut(world, as_user):
    olga = as_user(world.olga)
    assert olga.get(SEARCH, {"status": "nonsense"}).status_code == 200
    assert olga.get(SEARCH, {"q": "x" * 5000}).status_code == 200
