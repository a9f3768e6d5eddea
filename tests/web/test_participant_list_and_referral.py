"""The participant list and the new-referral form."""

from __future__ import annotations

from alliance.core.enrollment import EnrollmentStatus
from alliance.participants.models import Enrollment, EnrollmentEvent, Participant
from tests.web.helpers import text

REFERRAL = {
    "code": "riv-900",
    "initials": "JD",
    "birth_year": "1985",
    "relationship_status": "separated",
    "employment": "unemployed",
    "education": "high_school",
    "income_band": "low",
    "prior_offences": "2",
    "prior_ipv_offences": "1",
    "substance_use_concern": "true",
    "primary_language": "en",
    "referral_source": "probation",
    "referral_agency": "Probation North",
    "referred_on": "2025-03-07",
}


def test_a_facilitator_finds_only_men_in_her_groups(world, as_user):
    body = text(as_user(world.alice).get("/participants/"))
    assert "RIV-101" in body
    assert "RIV-201" not in body
    assert "RIV-301" not in body
    assert "New referral" not in body


def test_the_list_searches_by_code_prefix(world, as_user):
    body = text(as_user(world.olga).get("/participants/search/", {"q": "riv-2"}))
    assert "RIV-201" in body
    assert "RIV-101" not in body


def test_the_search_is_a_get_so_results_link_and_back_works(world, as_user):
    # Issue 18 (D16): a posted search asked "Confirm form resubmission" on Back and could not
    # be linked. The form now sends a GET to participants:search; posting is refused.
    olga = as_user(world.olga)
    page = olga.get("/participants/").content.decode()
    assert 'method="get"' in page
    assert 'action="/participants/search/"' in page
    assert 'method="post"' not in page.split('role="search"')[0].rsplit("<form", 1)[-1]
    assert olga.post("/participants/", {"q": "riv-2"}).status_code == 405
    assert "RIV-201" in text(olga.get("/participants/", {"q": "riv-2"}))
    assert "RIV-101" not in text(olga.get("/participants/", {"q": "riv-2"}))


def test_evaluators_and_partner_safety_workers_get_not_found(world, as_user):
    for persona in (world.eve, world.petra):
        assert as_user(persona).get("/participants/").status_code == 404


def test_an_admin_of_another_organization_sees_none_of_riverside(world, as_user):
    response = as_user(world.outsider).get("/participants/search/", {"q": "RIV"})
    assert response.status_code == 200
    assert "RIV-" not in text(response)


def test_a_supervisor_records_a_new_referral_with_its_first_timeline_event(world, as_user):
    data = {**REFERRAL, "program": world.program.pk}
    response = as_user(world.bob).post("/participants/new/", data)

    man = Participant.objects.get(code="RIV-900")
    assert response.status_code == 302
    assert response["Location"] == f"/participants/{man.pk}/"
    enrollment = Enrollment.objects.get(participant=man)
    assert enrollment.status == EnrollmentStatus.REFERRED
    assert enrollment.referral_agency == "Probation North"
    event = EnrollmentEvent.objects.get(enrollment=enrollment)
    assert (event.to_status, event.actor) == ("referred", world.bob)
    assert man.history.first().history_user == world.bob


def test_a_duplicate_code_and_impossible_offence_counts_are_refused_naming_the_fields(
    world, as_user
):
    data = {**REFERRAL, "code": "RIV-101", "prior_ipv_offences": "5", "program": world.program.pk}
    before = Participant.objects.count()
    response = as_user(world.bob).post("/participants/new/", data)

    assert response.status_code == 400
    body = text(response)
    assert "already in use" in body
    assert "Cannot exceed the number of prior offences" in body
    assert Participant.objects.count() == before


def test_a_program_at_another_site_cannot_be_chosen(world, as_user):
    data = {**REFERRAL, "program": world.program_b.pk}
    response = as_user(world.bob).post("/participants/new/", data)
    assert response.status_code == 400
    assert not Participant.objects.filter(code="RIV-900").exists()


def test_facilitators_cannot_open_the_referral_form(world, as_user):
    assert as_user(world.alice).get("/participants/new/").status_code == 404
