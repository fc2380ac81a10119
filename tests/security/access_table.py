"""Who may use each route: the authorisation matrix, one entry per (method, path template).

Six actors call every route (tests/security/test_authorization_matrix.py):

- ``anonymous``: no account, no cookie;
- ``respondent``: no account, holding a started draft of the open campaign (temps-libre-2026);
- ``other_member``: member (and pilot) of the employment commission, not of the youth one;
- ``member``: member and pilot of the youth commission, which owns every object called;
- ``facilitator``: facilitator of the youth commission;
- ``coordinator``: sees and manages everything.

A route missing from this table, or an entry whose route no longer exists, fails the suite.

How the app refuses, consistently:

- no account (anonymous, respondent): 303 to ``/login?next=<the page>``; the JSON API answers
  401 (it authenticates by bearer token, never by the session);
- an account without the role (``Access`` in consult/web/plumbing/access.py): 403;
- an object of another commission: 403 (404 is kept for what does not exist, for everyone).

CSRF: every POST is refused without the token, with no exemption (the respondent's and the
poll's public forms carry it too; the token-authenticated API is read-only, GET only).
"""

ANYONE = frozenset(
    {"anonymous", "respondent", "other_member", "member", "facilitator", "coordinator"}
)
SIGNED_IN = frozenset({"other_member", "member", "facilitator", "coordinator"})
# Design role, no object named: each sees only their own commissions' lists and choices.
DESIGNERS = frozenset({"other_member", "member", "coordinator"})
# Results role on the youth commission's objects (campaigns, polls, decks, quotes).
COMMISSION_STAFF = frozenset({"member", "facilitator", "coordinator"})
# Design role on the youth commission's objects (questionnaires, campaign settings).
COMMISSION_DESIGNERS = frozenset({"member", "coordinator"})
# Managing the youth commission (members, projects, findings): its pilot or the coordinator.
PILOT = frozenset({"member", "coordinator"})
COORDINATOR = frozenset({"coordinator"})

# Routes that answer 404 to everyone by design (Litestar's schema router for unknown files).
NOT_FOUND_BY_DESIGN = {("GET", "/api/schema/{path:str}")}

Q = "/questionnaires/{questionnaire_id:int}"
C = "/campaigns/{slug:str}"
R = "/r/{slug:str}"

MATRIX: dict[tuple[str, str], frozenset[str]] = {
    # public: home, sign-in, language, health, static files, the schema of the API
    ("GET", "/"): ANYONE,
    ("GET", "/login"): ANYONE,
    ("POST", "/login"): ANYONE,
    ("POST", "/logout"): ANYONE,
    ("POST", "/language"): ANYONE,
    ("GET", "/healthz"): ANYONE,
    ("GET", "/static/{file_path:path}"): ANYONE,
    ("HEAD", "/static/{file_path:path}"): ANYONE,
    ("GET", "/api/schema"): ANYONE,
    ("GET", "/api/schema/openapi.json"): ANYONE,
    ("GET", "/api/schema/{path:str}"): ANYONE,
    # respondents (no account): the form, the kiosk link (its key is the secret), resume codes
    ("GET", R): ANYONE,
    ("POST", f"{R}/start"): ANYONE,
    ("GET", f"{R}/young"): ANYONE,
    ("GET", f"{R}/s/{{section:str}}"): ANYONE,
    ("POST", f"{R}/s/{{section:str}}"): ANYONE,
    ("POST", f"{R}/s/{{section:str}}/refresh"): ANYONE,
    ("POST", f"{R}/s/{{section:str}}/draft"): ANYONE,
    ("GET", f"{R}/later"): ANYONE,
    ("POST", f"{R}/easy"): ANYONE,
    ("GET", f"{R}/review"): ANYONE,
    ("POST", f"{R}/submit"): ANYONE,
    ("GET", f"{R}/thanks"): ANYONE,
    ("GET", f"{R}/resume"): ANYONE,
    ("POST", f"{R}/resume"): ANYONE,
    ("GET", "/k/{slug:str}/{key:str}"): ANYONE,
    # a respondent's own answers: the receipt code, then a short-lived cookie, is the key
    ("GET", f"{R}/mine"): ANYONE,
    ("POST", f"{R}/mine"): ANYONE,
    ("GET", f"{R}/mine/answers"): ANYONE,
    ("GET", f"{R}/mine/erase"): ANYONE,
    ("POST", f"{R}/mine/erase"): ANYONE,
    ("GET", f"{R}/mine/erased"): ANYONE,
    # live polls, phones' side (one answer per phone through a cookie)
    ("GET", "/v"): ANYONE,
    ("GET", "/v/{code:str}"): ANYONE,
    ("POST", "/v/{code:str}"): ANYONE,
    # public results page, only once the commission published it
    ("GET", "/p/{slug:str}"): ANYONE,
    ("GET", "/p/{slug:str}/chart.svg"): ANYONE,
    # results API: a bearer token of a user who sees the campaign
    ("GET", "/api/campaigns/{slug:str}/summary"): COMMISSION_STAFF,
    ("GET", "/api/campaigns/{slug:str}/questions/{name:str}"): COMMISSION_STAFF,
    ("GET", "/api/campaigns/{slug:str}/crosstab"): COMMISSION_STAFF,
    # every account
    ("GET", "/dashboard"): SIGNED_IN,
    ("GET", "/partners"): SIGNED_IN,
    ("GET", "/partners/print"): SIGNED_IN,
    ("GET", "/partners/directory.pdf"): SIGNED_IN,
    ("GET", "/partners/export.csv"): SIGNED_IN,
    ("GET", "/partners/{slug:str}"): SIGNED_IN,
    ("GET", "/commissions"): SIGNED_IN,
    ("GET", "/commissions/{slug:str}"): SIGNED_IN,
    ("GET", "/plenaries"): SIGNED_IN,
    ("GET", "/plenaries/{plenary_id:int}"): SIGNED_IN,
    ("GET", "/plenaries/{plenary_id:int}/minutes.pdf"): SIGNED_IN,
    ("GET", "/campaigns"): SIGNED_IN,  # each sees their commissions' campaigns only
    ("GET", "/polls"): SIGNED_IN,  # each sees their commissions' polls only
    # the coordinator alone: accounts, the partners' directory, plenaries
    ("GET", "/users"): COORDINATOR,
    ("GET", "/audit"): COORDINATOR,
    ("GET", "/partners/new"): COORDINATOR,
    ("POST", "/partners/new"): COORDINATOR,
    ("GET", "/partners/import"): COORDINATOR,
    ("POST", "/partners/import"): COORDINATOR,
    ("GET", "/partners/{slug:str}/edit"): COORDINATOR,
    ("POST", "/partners/{slug:str}/edit"): COORDINATOR,
    ("GET", "/plenaries/new"): COORDINATOR,
    ("POST", "/plenaries/new"): COORDINATOR,
    ("GET", "/plenaries/{plenary_id:int}/edit"): COORDINATOR,
    ("POST", "/plenaries/{plenary_id:int}/edit"): COORDINATOR,
    # managing a commission: its pilot or the coordinator
    ("GET", "/commissions/{slug:str}/edit"): PILOT,
    ("POST", "/commissions/{slug:str}/edit"): PILOT,
    ("GET", "/commissions/{slug:str}/projects/new"): PILOT,
    ("POST", "/commissions/{slug:str}/projects/new"): PILOT,
    ("GET", "/commissions/{slug:str}/projects/{project_id:int}/edit"): PILOT,
    ("POST", "/commissions/{slug:str}/projects/{project_id:int}/edit"): PILOT,
    ("GET", "/commissions/{slug:str}/findings/new"): PILOT,
    ("POST", "/commissions/{slug:str}/findings/new"): PILOT,
    ("POST", "/commissions/{slug:str}/findings/{finding_id:int}/delete"): PILOT,
    # questionnaires: the design role, scoped to the questionnaire's commission
    ("GET", "/questionnaires"): DESIGNERS,
    ("POST", "/questionnaires"): COMMISSION_DESIGNERS,  # the commission is in the form
    ("POST", "/questionnaires/from-template"): COMMISSION_DESIGNERS,
    ("POST", "/questionnaires/import"): COMMISSION_DESIGNERS,
    ("GET", Q): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/preview"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/preview/s/{{section:str}}"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/preview/s/{{section:str}}"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/preview/s/{{section:str}}/refresh"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/preview/review"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/preview/submit"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/preview/reset"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/versions"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/export.json"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/export.xlsx"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/paper"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/paper.pdf"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/duplicate"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/settings"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/questions"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/questions/{{name:str}}"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/questions/{{name:str}}/move"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/questions/{{name:str}}/delete"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/questions/{{name:str}}/duplicate"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/questions/{{name:str}}/condition"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/questions/{{name:str}}/condition"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/questions/{{name:str}}/constraint"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/questions/{{name:str}}/constraint"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/sections/{{name:str}}/condition"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/sections/{{name:str}}/condition"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/undo"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/sections"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/sections/{{name:str}}"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/sections/{{name:str}}/move"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/sections/{{name:str}}/delete"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/publish"): COMMISSION_DESIGNERS,
    # images of choices (easy-read): the upload page, its form, the .zip export; the files
    # themselves to anyone once published (the world's image is), to staff only before
    ("GET", f"{Q}/questions/{{name:str}}/images"): COMMISSION_DESIGNERS,
    ("POST", f"{Q}/questions/{{name:str}}/images/{{value:str}}"): COMMISSION_DESIGNERS,
    ("GET", f"{Q}/export.zip"): COMMISSION_DESIGNERS,
    ("GET", "/media/{file_name:str}"): ANYONE,
    # campaigns: settings need the design role, following them the results role
    ("GET", "/campaigns/new"): DESIGNERS,
    ("POST", "/campaigns"): COMMISSION_DESIGNERS,  # the version (so the commission) is in the form
    ("GET", f"{C}/edit"): COMMISSION_DESIGNERS,
    ("POST", f"{C}/edit"): COMMISSION_DESIGNERS,
    ("POST", f"{C}/channels"): COMMISSION_DESIGNERS,
    ("POST", f"{C}/open"): COMMISSION_DESIGNERS,
    ("GET", C): COMMISSION_STAFF,
    ("GET", f"{C}/qr.svg"): COMMISSION_STAFF,
    ("GET", f"{C}/qr.png"): COMMISSION_STAFF,
    ("GET", f"{C}/poster"): COMMISSION_STAFF,
    ("GET", f"{C}/entry"): COMMISSION_STAFF,
    ("POST", f"{C}/entry"): COMMISSION_STAFF,
    ("GET", f"{C}/import"): COMMISSION_STAFF,
    ("POST", f"{C}/import"): COMMISSION_STAFF,
    ("POST", f"{C}/import/store"): COMMISSION_STAFF,
    # results, files and quotes of the commission's campaigns and series
    ("GET", f"{C}/results"): COMMISSION_STAFF,
    ("GET", f"{C}/results/crosstab"): COMMISSION_STAFF,
    ("GET", f"{C}/results/waves"): COMMISSION_STAFF,
    ("GET", f"{C}/results/exports"): COMMISSION_STAFF,
    ("GET", f"{C}/results/groups"): COMMISSION_STAFF,
    ("POST", f"{C}/results/groups"): COMMISSION_STAFF,
    ("GET", f"{C}/results/text"): COMMISSION_STAFF,
    ("POST", f"{C}/results/quotes"): COMMISSION_STAFF,
    ("POST", f"{C}/results/quotes/{{quote_id:int}}/delete"): COMMISSION_STAFF,
    ("GET", f"{C}/results/chart.svg"): COMMISSION_STAFF,
    ("GET", f"{C}/results/timeline.svg"): COMMISSION_STAFF,
    ("GET", f"{C}/results/crosstab.svg"): COMMISSION_STAFF,
    ("GET", f"{C}/results/crosstab/export"): COMMISSION_STAFF,
    ("GET", f"{C}/results/export"): COMMISSION_STAFF,
    ("GET", f"{C}/results/summaries.xlsx"): COMMISSION_STAFF,
    ("GET", f"{C}/results/report"): COMMISSION_STAFF,
    ("GET", f"{C}/results/report.pdf"): COMMISSION_STAFF,
    ("GET", "/series/{series:str}/waves"): COMMISSION_STAFF,
    ("GET", "/series/{series:str}/waves/chart.svg"): COMMISSION_STAFF,
    # plenary: deck, public page settings, live polls of the commission
    ("GET", f"{C}/deck"): COMMISSION_STAFF,
    ("GET", f"{C}/deck/pdf"): COMMISSION_STAFF,
    ("GET", f"{C}/deck/edit"): COMMISSION_STAFF,
    ("POST", f"{C}/deck/slides"): COMMISSION_STAFF,
    ("POST", f"{C}/deck/prepare"): COMMISSION_STAFF,
    ("POST", f"{C}/deck/slides/{{slide_id:int}}"): COMMISSION_STAFF,
    ("GET", f"{C}/public"): COMMISSION_STAFF,
    ("POST", f"{C}/public"): COMMISSION_STAFF,
    ("POST", "/polls"): COMMISSION_STAFF,  # the commission is in the form
    ("GET", "/polls/{code:str}"): COMMISSION_STAFF,
    ("POST", "/polls/{code:str}/{action:str}"): COMMISSION_STAFF,
    ("POST", "/polls/{code:str}/answers/{vote_id:int}"): COMMISSION_STAFF,
    ("GET", "/polls/{code:str}/screen"): COMMISSION_STAFF,
    ("GET", "/polls/{code:str}/results"): COMMISSION_STAFF,
    ("GET", "/polls/{code:str}/stream"): COMMISSION_STAFF,  # Server-Sent Events
    # representativeness: the fieldwork monitor, and the margins its designers edit
    ("GET", f"{C}/population"): COMMISSION_STAFF,
    ("GET", f"{C}/population/chart.svg"): COMMISSION_STAFF,
    ("POST", f"{C}/population"): COMMISSION_DESIGNERS,
}
