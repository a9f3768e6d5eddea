"""Who may open which URL: the table the authorization matrix test checks every view against.

Adding a view? Add ONE line to ``ACCESS`` below, keyed by the URL name:

    "my-view": Access("GET POST", "clinical-own-scope"),

- ``methods``: the HTTP methods the view accepts ("GET", "POST" or "GET POST"). Any other
  method must answer 405 to a signed-in user.
- ``rule``: one of ``RULES`` (who is let in). ``post=`` gives POST its own rule when writing
  needs more than reading (releases: clinical staff read, supervisors and up record).
- ``query=``: a query string the view needs (``"instrument=alliance_checkout"``).
- ``kwargs=``: which test object fills a URL keyword when the keyword name alone is ambiguous
  (``alert_id`` is a measures alert unless the row says ``{"alert_id": "outreach_alert"}``).
  The objects are built in ``tests/security/test_authorization_matrix.py`` (``objects``); a
  new keyword needs a new object there.

A URL name without a line fails the test, naming the URL: nobody ships a view whose access
nobody has decided. Rules, and what each persona must get from them:

- "public": everyone, signed in or not (login, logout).
- "token": only a man holding a valid link or kiosk code, or signed in with his practice
  code and PIN (the ``/practice/`` pages); everybody else (who can only
  forge one) gets 404, 410 or 429. No staff login is involved.
- "signed-webhook": only an SMS provider's request signed with the account's secret
  (alliance/sms); every persona gets 403 or 404.
- the rest need a staff login: the anonymous visitor and the man with his link are sent to
  the login page (302). A signed-in user whose role or scope does not fit gets 404, the same
  answer as for a record that does not exist. Then, by role:
  "any-staff" (every role) · "clinical" (organization admin, program manager, supervisor,
  facilitator) · "clinical-or-evaluator" · "aggregate" (admin, manager, supervisor,
  evaluator: de-identified figures) · "decision" (admin, manager, supervisor) · "managers"
  (admin, manager) · "org-admin" (organization admins only: the break-glass opening of the
  partner-safety compartment) · "safety-only" (partner-safety workers) · "incident-handlers"
  (partner-safety workers and supervisors: safety incidents) · "supervisor" (closes one) ·
  "intake" and "intake-desk" (admin, manager, supervisor, intake coordinator) ·
  "intake-or-clinical" (those and facilitators).
- Agency officers (alliance.portal: Otto of the agency that referred RIV-101, Ada of another
  agency) have no staff role: every staff rule answers them 404. "any-login" is every
  signed-in user, staff or officer (home, two-factor sign-in); "portal" is officers only (a
  list of their own agency's documents); "portal-own-agency" is a delivery to Otto's agency
  (Ada and every staff member get 404).
- Suffixes say whose records: no suffix means a page without a record (a list of what
  the user may see, so Oscar, an admin of another organization, gets his own empty page);
  "-own-scope" means a record of group A at Riverside North (Charlie, who facilitates only
  at South, and Oscar must get 404); "-own-org" means a Riverside record not tied to a site
  (Oscar gets 404, Charlie is in).

A page a persona may open must not show the text in her ``never_sees`` (``hidden_from``), with
one exception by design: inside the partner-safety compartment ("safety-only" and
"incident-handlers" rules) the
partner-safety worker sees the codes of her organization's men, since every partner record is
tied to a man (docs/partner-safety.md); everywhere else she sees no man's code.

"Allowed" means the view let the persona in: for GET, 200 or a redirect that is not to the
login page (an action not open to her now sends her back to his page); for an empty POST, any
answer but 403/404/405, a 5xx or a redirect to login (it may well be a 400 form error).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alliance.organizations.models import Role
from tests.conftest import IDENTITY_FIRST_NAME, IDENTITY_HIDDEN, IDENTITY_SENTINELS

IDENTITY = IDENTITY_SENTINELS


@dataclass(frozen=True)
class Access:
    methods: str
    rule: str
    post: str | None = None
    kwargs: dict[str, str] = field(default_factory=dict)
    #: A query string the view needs to show anything (e.g. which measure a form is for).
    query: str = ""

    def rule_for(self, method: str) -> str:
        return self.post if method == "POST" and self.post else self.rule


@dataclass(frozen=True)
class Persona:
    name: str
    role: Role | None
    #: Sees group A at Riverside North (its men, sessions, program)?
    in_scope: bool = False
    #: Belongs to Riverside?
    in_org: bool = False
    #: Text that must not appear on any page she is allowed to open: the codes of men she may
    #: not see (an evaluator and a partner-safety worker see no man's code at all).
    never_sees: tuple[str, ...] = ()
    #: An agency officer (alliance.portal, no staff role): "A" for the agency that referred
    #: RIV-101 (world.good), "B" for another agency of the same organization.
    agency: str = ""


PERSONAS = [
    Persona("olga", Role.ORG_ADMIN, in_scope=True, in_org=True),
    Persona("mona", Role.PROGRAM_MANAGER, in_scope=True, in_org=True),
    Persona("bob", Role.SUPERVISOR, in_scope=True, in_org=True),
    # A facilitator sees his first name and last initial, never the rest of his identity.
    Persona("alice", Role.FACILITATOR, in_scope=True, in_org=True, never_sees=IDENTITY_HIDDEN),
    Persona(
        "charlie",
        Role.FACILITATOR,
        in_scope=False,
        in_org=True,
        never_sees=("RIV-1", IDENTITY_FIRST_NAME, *IDENTITY_HIDDEN),
    ),
    Persona("eve", Role.EVALUATOR, in_scope=True, in_org=True, never_sees=("RIV-", *IDENTITY)),
    Persona(
        "petra", Role.PARTNER_SAFETY, in_scope=True, in_org=True, never_sees=("RIV-", *IDENTITY)
    ),
    # The intake coordinator takes referrals and keeps identities; nothing therapeutic.
    Persona("ines", Role.INTAKE, in_scope=True, in_org=True, never_sees=("RIV-2",)),
    Persona("oscar", Role.ORG_ADMIN, never_sees=("RIV-", "Riverside", *IDENTITY)),
    # Agency officers on the portal: Otto (agency A) sees RIV-101's documents only, by code;
    # Ada (agency B) sees none of them. Neither sees his identity on a page (it is in the PDF).
    Persona(
        "otto",
        None,
        agency="A",
        never_sees=("RIV-102", "RIV-103", "RIV-104", "RIV-105", "RIV-2", "RIV-3", *IDENTITY),
    ),
    Persona("ada", None, agency="B", never_sees=("RIV-", *IDENTITY)),
    Persona("anonymous", None),
    Persona("participant", None),
]

CLINICAL = {Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR, Role.FACILITATOR}
DECISION = {Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR}
AGGREGATE = DECISION | {Role.EVALUATOR}
ROLE_SETS: dict[str, set[Role]] = {
    "any-staff": set(Role),
    # Every signed-in user: staff and agency officers (home, two-factor sign-in).
    "any-login": set(Role),
    # Agency officers only (alliance.portal); "-own-agency": a delivery to agency A.
    "portal": set(),
    "clinical": CLINICAL,
    "clinical-or-evaluator": CLINICAL | {Role.EVALUATOR},
    "aggregate": AGGREGATE,
    "decision": DECISION,
    "managers": {Role.ORG_ADMIN, Role.PROGRAM_MANAGER},
    "org-admin": {Role.ORG_ADMIN},
    "managers-or-evaluator": {Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.EVALUATOR},
    "safety-only": {Role.PARTNER_SAFETY},
    # Referrals and the identity vault (alliance/identity/permissions.py).
    "intake-desk": DECISION | {Role.INTAKE},
    # Safety incidents are read by partner-safety workers and supervisors; a supervisor closes.
    "incident-handlers": {Role.PARTNER_SAFETY, Role.SUPERVISOR},
    "supervisor": {Role.SUPERVISOR},
    # intake (alliance/intake/permissions.py): the intake coordinator and the decision roles
    "intake": DECISION | {Role.INTAKE},
    "intake-or-clinical": CLINICAL | {Role.INTAKE},
    # Fees (alliance/fees/permissions.py): read by "intake" (admin, manager, supervisor,
    # intake coordinator); payments, bands and waiver requests by the desk; the rest managers.
    "fees-desk": {Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.INTAKE},
    # Acknowledging a fidelity observation: only the facilitator observed ("-own-scope": Alice,
    # observed by Bob; Charlie and every other role get 404; alliance/training/permissions.py).
    "facilitator": {Role.FACILITATOR},
}
RULES = (
    {"public", "token", "signed-webhook"}
    | set(ROLE_SETS)
    | {f"{name}-own-scope" for name in ROLE_SETS}
    | {f"{name}-own-org" for name in ROLE_SETS}
    | {"portal-own-agency"}
)


def hidden_from(persona: Persona, access: Access, method: str) -> tuple[str, ...]:
    """What ``persona`` must not see on this page (see the module docstring)."""
    rule = access.rule_for(method)
    if persona.role == Role.PARTNER_SAFETY and rule.partition("-own-")[0] in (
        "safety-only",
        "incident-handlers",
    ):
        return tuple(text for text in persona.never_sees if text != "RIV-")
    return persona.never_sees


ALLOWED, LOGIN, NOT_FOUND, NOT_ALLOWED, BAD_TOKEN = (
    "allowed",
    "302 to login",
    "404",
    "405",
    "404/410/429",
)


def expected(access: Access, persona: Persona, method: str) -> str:
    """What ``persona`` must get from a URL with ``access`` for ``method``."""
    rule = access.rule_for(method)
    assert rule in RULES, f"unknown rule {rule!r}; known: {sorted(RULES)}"
    if rule == "public":
        return ALLOWED if method in access.methods.split() else NOT_ALLOWED
    if rule == "signed-webhook":
        # Only the provider, signing each request with the account's secret, gets in: every
        # persona, signed in or not, is refused (403, or 404 when no such provider is set up).
        return NOT_FOUND if method in access.methods.split() else NOT_ALLOWED
    if rule == "token":
        if method not in access.methods.split():
            return NOT_ALLOWED
        return ALLOWED if persona.name == "participant" else BAD_TOKEN
    if persona.role is None and not persona.agency:
        return LOGIN
    if method not in access.methods.split():
        return NOT_ALLOWED
    roles, _, scope = rule.partition("-own-")
    if persona.agency:
        # An officer has no staff role: every staff page is 404 to him; on the portal he
        # sees his own agency's deliveries only.
        if roles == "any-login":
            return ALLOWED
        if roles != "portal":
            return NOT_FOUND
        return ALLOWED if scope != "agency" or persona.agency == "A" else NOT_FOUND
    if persona.role is None:
        return LOGIN
    if persona.role not in ROLE_SETS[roles]:
        return NOT_FOUND
    if scope == "scope" and not persona.in_scope:
        return NOT_FOUND
    if scope == "org" and not persona.in_org:
        return NOT_FOUND
    return ALLOWED


#: The monthly report shows nothing until a month and a recipient are given.
MONTHLY_QUERY = "month=2025-02&recipient_kind=funder&recipient_organization=Funder"

ACCESS: dict[str, Access] = {
    # alliance/urls.py
    "home": Access("GET", "any-login"),
    "login": Access("GET POST", "public"),
    "logout": Access("POST", "public"),
    "dashboard": Access("GET", "aggregate"),
    "group": Access("GET", "clinical-own-scope"),
    "group-schedule": Access("POST", "decision-own-scope"),
    "session": Access("GET", "clinical-own-scope"),
    "session-edit": Access("POST", "clinical-own-scope"),
    "mark-attendance": Access("POST", "clinical-own-scope"),
    "attendance-all-present": Access("POST", "clinical-own-scope"),
    "attendance-details": Access("POST", "clinical-own-scope"),
    "session-times": Access("POST", "clinical-own-scope"),
    "competency-sign-off": Access("POST", "clinical-own-scope"),
    "competency-review": Access("POST", "decision-own-scope"),
    "enrollment-leave": Access("POST", "decision-own-scope"),
    # the search is posted, never put in the query string (docs/security.md)
    "participants": Access("GET", "clinical"),
    "participants:search": Access("GET", "clinical"),
    "referral-new": Access("GET POST", "intake-desk"),
    "participant": Access("GET", "clinical-own-scope"),
    "participant-history": Access("GET", "decision-own-scope"),
    "enrollment-action": Access("GET POST", "clinical-own-scope"),
    # measures
    "measures-link": Access("GET POST", "token"),
    "measures-link-save": Access("POST", "token"),
    "kiosk": Access("GET POST", "token", kwargs={"token": "kiosk_token"}),
    "kiosk-pin": Access("GET POST", "token", kwargs={"token": "kiosk_token"}),
    "kiosk-checkout": Access("GET POST", "token", kwargs={"token": "kiosk_token"}),
    "kiosk-save": Access("POST", "token", kwargs={"token": "kiosk_token"}),
    "kiosk-open": Access("POST", "clinical-own-scope"),
    "kiosk-close": Access("POST", "clinical-own-scope"),
    "flag-missed": Access("POST", "clinical-own-scope"),
    "rate-man": Access("POST", "clinical-own-scope"),
    "paper-form": Access("GET POST", "clinical-own-scope", query="instrument=alliance_checkout"),
    "create-link": Access("POST", "clinical-own-scope"),
    "issue-pin": Access("POST", "clinical-own-scope"),
    "measure-releases": Access("GET POST", "clinical-own-scope", post="decision-own-scope"),
    "release-revoke": Access("POST", "decision-own-scope"),
    "alert-acknowledge": Access("POST", "clinical-own-scope"),
    "group-checkouts": Access("GET", "clinical-own-scope"),
    "group-zones": Access("GET", "clinical-own-scope"),
    "program-measures": Access("GET", "clinical-or-evaluator-own-scope"),
    "program-fhir-answers": Access("GET", "clinical-or-evaluator-own-scope"),
    "program-measure-settings": Access("POST", "managers-own-scope"),
    "program-zone-settings": Access("POST", "managers-own-scope"),
    "program-schedule-add": Access("POST", "managers-own-scope"),
    "program-schedule-remove": Access("POST", "managers-own-scope"),
    # outcomes
    "evaluation": Access("GET", "aggregate"),
    "evaluation-pdf": Access("GET", "aggregate"),
    "research-export": Access("GET POST", "managers-or-evaluator"),
    # An export of group A's program: whoever may export every program it covers.
    "research-export-file": Access("GET", "managers-or-evaluator-own-scope"),
    "research-export-download": Access("GET", "managers-or-evaluator-own-scope"),
    "follow-up-import": Access("GET POST", "managers"),
    # caseload import: the organization admin (every program), a program manager (his sites')
    "caseload-import": Access("GET POST", "managers"),
    "caseload-template-csv": Access("GET", "managers"),
    "caseload-template-xlsx": Access("GET", "managers"),
    # engagement
    "engagement-risk": Access("GET", "clinical"),
    "engagement-model-card": Access("GET", "clinical-or-evaluator"),
    "engagement-start-outreach": Access("POST", "clinical-own-scope"),
    "engagement-alert": Access("GET", "clinical-own-scope", kwargs={"alert_id": "outreach_alert"}),
    "engagement-acknowledge": Access(
        "POST", "clinical-own-scope", kwargs={"alert_id": "outreach_alert"}
    ),
    "engagement-action": Access(
        "POST", "clinical-own-scope", kwargs={"alert_id": "outreach_alert"}
    ),
    "engagement-outcome": Access(
        "POST", "clinical-own-scope", kwargs={"alert_id": "outreach_alert"}
    ),
    # practice
    "practice-phone": Access("GET POST", "token", kwargs={"token": "practice_token"}),
    "practice-phone-do": Access("GET POST", "token", kwargs={"token": "practice_token"}),
    "practice-phone-account": Access("GET POST", "token", kwargs={"token": "practice_token"}),
    "practice-phone-reminders": Access("POST", "token", kwargs={"token": "practice_token"}),
    "practice-phone-progress": Access("GET", "token", kwargs={"token": "practice_token"}),
    "practice-sign-in": Access("GET POST", "public"),
    "practice-sign-out": Access("POST", "public"),
    "practice-me": Access("GET POST", "token"),
    "practice-me-do": Access("GET POST", "token"),
    "practice-me-account": Access("GET POST", "token"),
    "practice-me-reminders": Access("POST", "token"),
    "practice-me-progress": Access("GET", "token"),
    "practice-pin": Access("POST", "clinical-own-scope"),
    "practice-reminders": Access("POST", "clinical-own-scope"),
    "practice-library": Access("GET", "clinical"),
    "practice-new": Access("GET POST", "decision"),
    "practice": Access("GET", "clinical-own-org"),
    "practice-edit": Access("GET POST", "decision-own-org"),
    "homework-group": Access("POST", "clinical-own-scope"),
    "homework-man": Access("POST", "clinical-own-scope"),
    "practice-link": Access("POST", "clinical-own-scope"),
    "plan-goal": Access("POST", "clinical-own-scope"),
    "plan-goal-status": Access("POST", "clinical-own-scope"),
    "participant-practice": Access("GET", "clinical-own-scope"),
    "accountability-feedback": Access("POST", "clinical-own-scope"),
    "self-practice": Access("GET POST", "clinical"),
    # connection map and alumni mentors (alliance/connection/permissions.py)
    "connection-network": Access("GET POST", "clinical-own-scope"),
    "connection-review": Access("POST", "clinical-own-scope"),
    "connection-mentors": Access("GET POST", "decision"),
    "connection-mentor": Access("GET POST", "decision-own-scope"),
    "connection-match-new": Access("POST", "decision-own-scope"),
    "connection-match": Access("GET POST", "decision-own-scope"),
    "connection-match-end": Access("POST", "decision-own-scope"),
    "connection-holds": Access("GET POST", "safety-only"),
    "connection-hold-lift": Access("POST", "safety-only-own-scope"),
    "facilitator-state": Access("POST", "clinical"),
    "program-practice": Access("GET", "aggregate-own-scope"),
    # training register and fidelity observations (alliance/training/permissions.py): every
    # staff member has his own register; a colleague's register and an observation are open to
    # the person himself (Alice) and the organization's supervisors, managers and admins, so
    # Charlie, Alice's colleague, gets 404 ("-own-scope" below means "Alice's own")
    "training-mine": Access("GET", "any-staff"),
    "training-alerts": Access("GET", "any-staff"),
    "training-team": Access("GET", "decision"),
    "training-person": Access("GET", "clinical-own-scope"),
    "training-entry-add": Access("POST", "clinical-own-scope"),
    "training-credential-add": Access("POST", "clinical-own-scope"),
    "training-observations": Access("GET", "clinical"),
    "training-observation-new": Access("GET POST", "decision"),
    "training-observation": Access("GET", "clinical-own-scope"),
    "training-observation-acknowledge": Access("POST", "facilitator-own-scope"),
    "training-requirement": Access("GET POST", "managers-own-scope"),
    # reports: the decision roles read, send and download; a facilitator reads (never sends)
    # the compliance report of the men in her own groups (alliance/reports/permissions.py)
    "enrollment-reports": Access("GET", "clinical-own-scope"),
    "enrollment-document": Access(
        "GET POST", "clinical-own-scope", post="decision-own-scope", kwargs={"kind": "report_kind"}
    ),
    "sent-document-pdf": Access("GET", "decision-own-scope"),
    # alliance.portal: delivering a sent document, the agency's officers, and the portal.
    "document-deliveries": Access("GET POST", "decision-own-scope"),
    "agency-officers": Access("GET POST", "managers-own-org"),
    "portal-invitation": Access("GET POST", "token", kwargs={"token": "portal_token"}),
    "portal-home": Access("GET", "portal"),
    "profile-credentials": Access("GET POST", "any-staff"),
    "portal-document": Access("GET", "portal-own-agency"),
    "portal-document-pdf": Access("GET", "portal-own-agency"),
    "portal-acknowledge": Access("POST", "portal-own-agency"),
    "program-reports": Access("GET", "decision-own-scope"),
    "monthly-report": Access("GET POST", "decision-own-scope", query=MONTHLY_QUERY),
    # rights: the organization admin and the program managers of his site export his records
    "participant-export": Access("POST", "managers-own-scope"),
    "data-rights": Access("GET POST", "org-admin"),
    # organizations: the second factor, for any signed-in staff member
    "two-factor-verify": Access("GET POST", "any-login"),
    "two-factor-setup": Access("GET POST", "any-login"),
    "two-factor-recovery-codes": Access("GET POST", "any-login"),
    # organizations: the organization admin's settings (set-up checklist, organization, sites,
    # staff, history); other organizations' sites, staff and invitations are missing to him
    "settings": Access("GET", "org-admin"),
    "settings-confirm-step": Access("POST", "org-admin"),
    "settings-organization": Access("GET POST", "org-admin"),
    "settings-sites": Access("GET POST", "org-admin"),
    "settings-site": Access("GET POST", "org-admin-own-org"),
    "settings-site-active": Access("POST", "org-admin-own-org"),
    "settings-staff": Access("GET POST", "org-admin"),
    "settings-staff-member": Access("GET POST", "org-admin-own-org"),
    "settings-staff-deactivate": Access("GET POST", "org-admin-own-org"),
    "settings-invitation-withdraw": Access("POST", "org-admin-own-org"),
    "settings-history": Access("GET", "org-admin"),
    # the invitee's link: only its holder (here: the "participant" persona, who holds no staff
    # login) gets in; everybody else can only forge one
    "staff-invitation": Access("GET POST", "token", kwargs={"token": "invite_token"}),
    # safety: the organization's partner-safety workers only; an organization admin opens one
    # record through break-glass (alliance/safety/permissions.py, docs/partner-safety.md)
    "safety-home": Access("GET", "safety-only"),
    "safety-partner-new": Access("GET POST", "safety-only"),
    "safety-partner": Access("GET", "safety-only-own-org"),
    "safety-partner-history": Access("GET", "safety-only-own-org"),
    "safety-partner-edit": Access("POST", "safety-only-own-org"),
    "safety-release-add": Access("POST", "safety-only-own-org"),
    "safety-release-revoke": Access(
        "POST", "safety-only-own-org", kwargs={"release_id": "safety_release"}
    ),
    "safety-concern-add": Access("POST", "safety-only-own-org"),
    "safety-concern-resolve": Access("POST", "safety-only-own-org"),
    "safety-contact-add": Access("POST", "safety-only-own-org"),
    "safety-notification": Access("GET POST", "safety-only-own-org"),
    "safety-notification-cancel": Access("POST", "safety-only-own-org"),
    "safety-break-glass": Access("GET POST", "org-admin"),
    # partner reports: her consent, her reports and her release of the flag are the safety
    # worker's; the discrepancy signal is read by safety workers and the supervisors of his
    # site (alliance/safety/discrepancy.py, docs/partner-safety.md)
    "safety-report-consent-add": Access("POST", "safety-only-own-org"),
    "safety-report-consent-withdraw": Access("POST", "safety-only-own-org"),
    "safety-report-add": Access("POST", "safety-only-own-org"),
    "safety-flag-release-add": Access("POST", "safety-only-own-org"),
    "safety-flag-release-withdraw": Access("POST", "safety-only-own-org"),
    "safety-signals": Access("GET", "incident-handlers"),
    "safety-man-signal": Access("GET", "incident-handlers-own-scope"),
    # identity vault: intake, supervisors, managers and the admin (docs/security.md)
    # court orders and the breach letter (alliance/court/permissions.py): the roles that edit
    # enrollments and keep identities; agencies and their reporting clocks: managers
    "court-order": Access("GET POST", "intake-desk-own-scope"),
    "breach-letter": Access("GET", "intake-desk-own-scope"),
    "settings-agencies": Access("GET POST", "managers"),
    "settings-default-clock": Access("GET POST", "managers"),
    "settings-agency": Access("GET POST", "managers-own-org"),
    "settings-agency-active": Access("POST", "managers-own-org"),
    "identities": Access("GET", "intake-desk"),
    "participant-identity": Access("GET", "intake-desk-own-scope"),
    "participant-identity-edit": Access("GET POST", "intake-desk-own-scope"),
    # texts to his phone: his agreement and the log sit with his identity (alliance/sms); any
    # clinical role that may give him a phone link may text him one (never seeing the number)
    "participant-texts": Access("GET POST", "intake-desk-own-scope"),
    "text-link": Access("POST", "clinical-own-scope"),
    # incidents: anyone who may open his page or the session flags; the handlers (partner
    # safety, supervisors of the site) read and act; a supervisor closes (alliance/incidents)
    "incident-flag-participant": Access("POST", "clinical-own-scope"),
    "incident-flag-session": Access("POST", "clinical-own-scope"),
    "incidents": Access("GET", "incident-handlers"),
    "incident": Access("GET", "incident-handlers-own-scope"),
    "incident-action": Access("POST", "incident-handlers-own-scope"),
    "incident-offence": Access("POST", "incident-handlers-own-scope"),
    "incident-close": Access("POST", "supervisor-own-scope"),
    "incident-procedures": Access("GET POST", "managers"),
    # intake: the intake coordinator and the decision roles do intake; a facilitator reads the
    # treatment plan of the men in her groups, never the assessment or his documents; the
    # agreement text is the set-up roles' (alliance/intake/permissions.py)
    "intake-home": Access("GET", "intake"),
    "intake-record": Access("GET", "intake-own-scope"),
    "intake-appointment-new": Access("POST", "intake-own-scope"),
    "intake-appointment-status": Access("POST", "intake-own-scope"),
    "intake-assessment": Access("GET POST", "intake-own-scope"),
    "intake-collateral": Access("POST", "intake-own-scope"),
    "intake-risk-score": Access("POST", "intake-own-scope"),
    "intake-placement": Access("POST", "intake-own-scope"),
    "treatment-plan": Access("GET POST", "intake-or-clinical-own-scope", post="intake-own-scope"),
    "agreement-text": Access("GET POST", "managers-own-scope"),
    "agreement-sign": Access("GET POST", "intake-own-scope"),
    "agreement-link": Access("POST", "intake-own-scope"),
    "agreement-phone": Access("GET POST", "token", kwargs={"token": "agreement_token"}),
    "sms-twilio-inbound": Access("POST", "signed-webhook"),
    "sms-twilio-status": Access("POST", "signed-webhook"),
    "agreement-pdf": Access("GET", "intake-own-scope"),
    "document-upload": Access("POST", "intake-own-scope"),
    "document": Access("GET", "intake-own-scope", kwargs={"document_id": "intake_document"}),
    # audit
    "access-log": Access("GET", "decision"),
    "access-log-csv": Access("GET", "decision"),
    # programs set-up: the organization admin sets up every program, a program manager the
    # programs of his sites (alliance/programs/permissions.py); holidays are organization-wide
    "programs:program_list": Access("GET", "managers"),
    "programs:program_create": Access("GET POST", "managers"),
    "programs:program_detail": Access("GET", "managers-own-scope"),
    "programs:program_edit": Access("GET POST", "managers-own-scope"),
    "programs:program_history": Access("GET", "managers-own-scope"),
    "programs:curriculum": Access("GET POST", "managers-own-scope"),
    "programs:curriculum_session_edit": Access("GET POST", "managers-own-scope"),
    "programs:curriculum_move": Access("POST", "managers-own-scope"),
    "programs:curriculum_remove": Access("POST", "managers-own-scope"),
    "programs:competencies": Access("GET POST", "managers-own-scope"),
    "programs:competency_presets": Access("POST", "managers-own-scope"),
    "programs:competency_edit": Access("GET POST", "managers-own-scope"),
    "programs:competency_move": Access("POST", "managers-own-scope"),
    "programs:competency_remove": Access("POST", "managers-own-scope"),
    "programs:group_create": Access("GET POST", "managers"),
    "programs:group_sessions": Access("GET POST", "managers-own-scope"),
    "programs:group_edit": Access("GET POST", "managers-own-scope"),
    "programs:group_history": Access("GET", "managers-own-scope"),
    "programs:session_cancel": Access("POST", "managers-own-scope"),
    "programs:session_move": Access("POST", "managers-own-scope"),
    "programs:holidays": Access("GET POST", "org-admin"),
    "programs:holiday_remove": Access("POST", "org-admin-own-org"),
    # The REST API (alliance.api): the pages' rules through a key's (or a session's) role.
    # Unauthenticated requests get 401, counted as "sent to sign in".
    "api:program-list": Access("GET", "clinical-or-evaluator"),
    "api:program-detail": Access(
        "GET", "clinical-or-evaluator-own-scope", kwargs={"pk": "program_id"}
    ),
    "api:group-list": Access("GET", "clinical"),
    "api:group-detail": Access("GET", "clinical-own-scope", kwargs={"pk": "group_id"}),
    "api:session-list": Access("GET", "clinical"),
    "api:session-detail": Access("GET", "clinical-own-scope", kwargs={"pk": "session_id"}),
    "api:participant-list": Access("GET", "clinical"),
    "api:participant-detail": Access("GET", "clinical-own-scope", kwargs={"pk": "participant_id"}),
    "api:enrollment-list": Access("GET", "clinical"),
    "api:enrollment-detail": Access("GET", "clinical-own-scope", kwargs={"pk": "enrollment_id"}),
    "api:attendance-list": Access("GET POST", "clinical"),
    "api:attendance-detail": Access("GET", "clinical-own-scope", kwargs={"pk": "attendance_id"}),
    "api:administration-list": Access("GET", "clinical"),
    "api:administration-detail": Access(
        "GET", "clinical-own-scope", kwargs={"pk": "administration_id"}
    ),
    "api:document-list": Access("GET", "clinical"),
    # The test document is an enrollment notice: facilitators read compliance reports only.
    "api:document-detail": Access("GET", "decision-own-scope", kwargs={"pk": "document_id"}),
    "api:fhir-questionnaire": Access(
        "GET", "clinical-or-evaluator", kwargs={"instrument_id": "instrument_id"}
    ),
    "api:administration-fhir": Access(
        "GET", "clinical-own-scope", kwargs={"pk": "administration_id"}
    ),
    "api:fhir-questionnaire-response": Access("POST", "clinical"),
    "api:schema": Access("GET", "public"),
    "api:reference": Access("GET", "any-staff"),
    "api-keys": Access("GET POST", "org-admin"),
    # alliance/fees/urls.py: facilitators, evaluators and partner-safety workers see nothing.
    "fees:aging": Access("GET", "intake"),
    "fees:payers": Access("GET", "intake"),
    "fees:export": Access("GET", "managers"),
    "fees:settings": Access("GET POST", "org-admin"),
    "fees:agency_policy": Access("GET POST", "org-admin-own-org"),
    "fees:schedule": Access("GET POST", "managers-own-scope"),
    "fees:load_scale": Access("POST", "managers-own-scope"),
    "fees:generate": Access("POST", "managers-own-scope"),
    "fees:account": Access("GET", "intake-own-scope"),
    "fees:assess": Access("POST", "fees-desk-own-scope"),
    "fees:charge": Access("POST", "managers-own-scope"),
    "fees:payment": Access("POST", "fees-desk-own-scope"),
    "fees:refund": Access("POST", "managers-own-scope"),
    "fees:waiver": Access("POST", "fees-desk-own-scope"),
    "fees:statement": Access("GET", "intake-own-scope"),
    "fees:receipt": Access("GET", "intake-own-scope", kwargs={"entry_id": "fee_entry"}),
    "fees:reverse": Access("POST", "managers-own-scope", kwargs={"entry_id": "fee_entry"}),
    "fees:decide_waiver": Access("POST", "managers-own-scope"),
    "api-key-revoke": Access("POST", "org-admin-own-org"),
}
