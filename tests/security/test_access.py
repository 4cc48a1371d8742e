"""Permission sweep: every URL pattern of the project (web pages, API, admin), tried by the
people who must not see what it serves.

``ROUTES`` classifies every pattern the resolver knows, by name (or by its pattern when it has
none). A pattern added without a row here fails ``test_every_url_pattern_is_classified``: decide
who may use it, add the row, and the sweep covers it.

What "refused" means: 403 or 404 for a logged-in user, 401/403 for an anonymous API client, a
redirect to the login page for an anonymous browser; never a 5xx, never a marker text of an
object the person may not see (``conftest.World``), and for a write nothing changed: no table's
row count, no watched field of the objects.
"""

import json
import re
from dataclasses import dataclass
from functools import partial

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import (
    ARTICLE_TITLE,
    CLAIM_TEXT,
    COMMENT_BODY,
    KNOWN_CLAIM,
    RULING_SUMMARY,
    SECRET,
    SOURCE_TITLE,
    TOKEN_NAME,
    WEBHOOK_DESCRIPTION,
    World,
    attempt,
    changed,
    row_counts,
)

pytestmark = pytest.mark.django_db

# --- Who must be refused -----------------------------------------------------------------------

# The article, its claim (assigned to rita), the claim's source, draft ruling and comment.
CLAIM_WALL = frozenset({"otto", "olga", "anon"})
# Editor-only pages and actions.
EDITOR_WALL = frozenset({"rita", "otto", "olga", "anon"})
# A user's own things (webhook endpoints, API tokens): another editor may not see them either.
OWNER_WALL = frozenset({"ed", "rita", "otto", "olga", "anon"})
# The newsroom's shared library (known fact-checks): people without a role.
NEWSROOM_WALL = frozenset({"olga", "anon"})
# Anyone logged in.
LOGIN_WALL = frozenset({"anon"})
NOBODY = frozenset()
EVERYONE = frozenset({"erin", "ed", "rita", "otto", "olga", "anon"})

SWEPT = ("ed", "rita", "otto", "olga", "anon")  # the personas every route is tried as

# Kinds of route.
OBJECT = "object"  # serves one object (or acts on it): refused to ``refused``
PAGE = "page"  # no object, but only some people may use it: refused to ``refused``
LIST = "list"  # open to many; each sees only what they may (GET checked for leaks; writes refused)
PUBLIC = "public"  # no login, and nothing unpublished in it
HIDDEN = "hidden"  # public address of an unpublished object: 404 to everyone (``obj``); ``shown`` is public
AUTH = "auth"  # logging in and out, token exchange: no data either way
ADMIN = "admin"  # the admin console: superusers with is_staff only, everyone else to its login page
CATCH_ALL = "catch_all"  # paths no endpoint matches


@dataclass(frozen=True)
class Route:
    kind: str
    obj: str | None = None
    methods: tuple[str, ...] = ("GET",)  # web views; API methods come from the view itself
    refused: frozenset = NOBODY
    sees: tuple[str, str] | None = None  # (persona, text): a positive control, GET only
    shown: str | None = None  # HIDDEN: the published object that anonymous clients may read


GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")
READS = ("GET", "HEAD")

ROUTES: dict[str, Route] = {
    # --- Web: session and account
    "home": Route(LIST),
    "login": Route(AUTH, methods=BOTH),
    "logout": Route(AUTH, methods=POST),
    "account-tokens": Route(LIST, methods=BOTH, refused=LOGIN_WALL, sees=("erin", TOKEN_NAME)),
    "account-token-revoke": Route(OBJECT, "token", POST, OWNER_WALL),
    # --- Web: articles
    "article-list": Route(LIST, sees=("rita", ARTICLE_TITLE)),
    "article-create": Route(PAGE, methods=BOTH, refused=EDITOR_WALL),
    "article-import": Route(PAGE, methods=BOTH, refused=EDITOR_WALL),
    "article-detail": Route(OBJECT, "article", GET, CLAIM_WALL, sees=("rita", ARTICLE_TITLE)),
    "article-status": Route(OBJECT, "article", GET, CLAIM_WALL),
    "article-extract": Route(OBJECT, "article", POST, CLAIM_WALL),
    "article-triage": Route(OBJECT, "article", POST, CLAIM_WALL),
    "article-claim-add": Route(OBJECT, "article", POST, CLAIM_WALL),
    "article-claim-edit": Route(OBJECT, "article+claim", POST, CLAIM_WALL),
    "article-claim-merge": Route(OBJECT, "article", POST, CLAIM_WALL),
    # --- Web: claims
    "claim-queue": Route(LIST, sees=("rita", "QXSECRET-CLAIM-BRAVO")),
    "my-claims": Route(LIST, sees=("rita", "QXSECRET-CLAIM-BRAVO")),
    "claim-board": Route(LIST, sees=("rita", "QXSECRET-CLAIM-BRAVO")),
    "claims-bulk-assign": Route(PAGE, methods=POST, refused=EDITOR_WALL),
    "claims-auto-assign": Route(PAGE, methods=POST, refused=EDITOR_WALL),
    "claim-detail": Route(OBJECT, "claim", GET, CLAIM_WALL, sees=("rita", COMMENT_BODY)),
    "claim-accept": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "claim-reject": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "claim-merge": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "claim-assign": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "claim-self-assign": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "claim-start": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "claim-update": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "comment-add": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "source-add": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "ruling-draft": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "ruling-submit": Route(OBJECT, "claim", POST, CLAIM_WALL),
    "source-row": Route(OBJECT, "source", GET, CLAIM_WALL, sees=("rita", SOURCE_TITLE)),
    "source-edit-form": Route(OBJECT, "source", GET, CLAIM_WALL),
    "source-update": Route(OBJECT, "source", POST, CLAIM_WALL),
    "source-remove": Route(OBJECT, "source", POST, CLAIM_WALL),
    "ruling-approve": Route(OBJECT, "draft", POST, CLAIM_WALL),
    "ruling-return": Route(OBJECT, "draft", POST, CLAIM_WALL),
    "ruling-publish": Route(OBJECT, "draft", POST, CLAIM_WALL),
    "ruling-correct": Route(OBJECT, "draft", POST, CLAIM_WALL),
    # --- Web: public and oversight
    "factcheck-index": Route(PUBLIC, sees=("anon", "Public summary")),
    "factcheck-public": Route(HIDDEN, "draft", refused=EVERYONE, shown="published"),
    "factcheck-article": Route(HIDDEN, "article", refused=EVERYONE, shown="published_article"),
    "dashboard": Route(PAGE, refused=EDITOR_WALL),
    # --- API
    "api-token": Route(AUTH),
    "api-schema": Route(PUBLIC),
    "api-docs": Route(PUBLIC),
    "api-claimreview-feed": Route(PUBLIC, sees=("anon", "Public summary")),
    "api-claimreview": Route(HIDDEN, "draft", refused=EVERYONE, shown="published"),
    "api-article-list": Route(LIST, refused=EDITOR_WALL, sees=("rita", ARTICLE_TITLE)),
    "api-article-detail": Route(OBJECT, "article", refused=CLAIM_WALL, sees=("rita", ARTICLE_TITLE)),
    "api-article-extract": Route(OBJECT, "article", refused=CLAIM_WALL),
    "api-article-claims": Route(OBJECT, "article", refused=CLAIM_WALL),
    "api-article-import": Route(PAGE, refused=EDITOR_WALL),
    "api-claim-list": Route(LIST, sees=("rita", "QXSECRET-CLAIM-BRAVO")),
    "api-claim-auto-assign": Route(PAGE, refused=EDITOR_WALL),
    "api-claim-bulk-assign": Route(PAGE, refused=EDITOR_WALL),
    "api-claim-detail": Route(OBJECT, "claim", refused=CLAIM_WALL, sees=("rita", COMMENT_BODY)),
    "api-claim-accept": Route(OBJECT, "claim", refused=CLAIM_WALL),
    "api-claim-assign": Route(OBJECT, "claim", refused=CLAIM_WALL),
    "api-claim-comments": Route(OBJECT, "claim", refused=CLAIM_WALL, sees=("rita", COMMENT_BODY)),
    "api-claim-merge": Route(OBJECT, "claim", refused=CLAIM_WALL),
    "api-claim-reject": Route(OBJECT, "claim", refused=CLAIM_WALL),
    "api-claim-ruling": Route(OBJECT, "claim", refused=CLAIM_WALL),
    "api-claim-sources": Route(OBJECT, "claim", refused=CLAIM_WALL, sees=("rita", SOURCE_TITLE)),
    "api-claim-start": Route(OBJECT, "claim", refused=CLAIM_WALL),
    "api-claim-take": Route(OBJECT, "claim", refused=CLAIM_WALL),
    "api-claim-recut": Route(OBJECT, "claim", refused=CLAIM_WALL),
    "api-source-detail": Route(OBJECT, "source", refused=CLAIM_WALL),
    "api-ruling-detail": Route(OBJECT, "draft", refused=CLAIM_WALL, sees=("rita", RULING_SUMMARY)),
    "api-ruling-approve": Route(OBJECT, "draft", refused=CLAIM_WALL),
    "api-ruling-correct": Route(OBJECT, "draft", refused=CLAIM_WALL),
    "api-ruling-publish": Route(OBJECT, "draft", refused=CLAIM_WALL),
    "api-ruling-return": Route(OBJECT, "draft", refused=CLAIM_WALL),
    "api-rating-list": Route(LIST),
    "api-reviewer-list": Route(PAGE, refused=EDITOR_WALL),
    "api-event-list": Route(LIST, sees=("rita", SOURCE_TITLE)),
    "api-comment-list": Route(LIST, sees=("rita", COMMENT_BODY)),
    "api-apitoken-list": Route(LIST, refused=LOGIN_WALL, sees=("erin", TOKEN_NAME)),
    "api-apitoken-detail": Route(OBJECT, "token", refused=OWNER_WALL, sees=("erin", TOKEN_NAME)),
    "api-webhook-list": Route(LIST, refused=EDITOR_WALL, sees=("erin", WEBHOOK_DESCRIPTION)),
    "api-webhook-detail": Route(OBJECT, "webhook", refused=OWNER_WALL, sees=("erin", WEBHOOK_DESCRIPTION)),
    "api-webhook-deliveries": Route(OBJECT, "webhook", refused=OWNER_WALL),
    "api-webhook-ping": Route(OBJECT, "webhook", refused=OWNER_WALL),
    "api-webhook-rotate-secret": Route(OBJECT, "webhook", refused=OWNER_WALL),
    "api-webhook-delivery-detail": Route(OBJECT, "delivery", refused=OWNER_WALL),
    "api-webhook-delivery-redeliver": Route(OBJECT, "delivery", refused=OWNER_WALL),
    "api-known-fact-check-list": Route(LIST, refused=EDITOR_WALL, sees=("otto", "QXKNOWN-HOTEL")),
    "api-known-fact-check-import": Route(PAGE, refused=EDITOR_WALL),
    "api-known-fact-check-detail": Route(OBJECT, "known", refused=NEWSROOM_WALL, sees=("otto", "QXKNOWN-HOTEL")),
    "api/v1/^": Route(CATCH_ALL),
    # --- Admin console (the per-model pages are ADMIN_MODELS below)
    "admin:index": Route(ADMIN),
    "admin:login": Route(AUTH, methods=BOTH),
    "admin:logout": Route(AUTH, methods=POST),
    "admin:password_change": Route(ADMIN),
    "admin:password_change_done": Route(ADMIN),
    "admin:autocomplete": Route(ADMIN),
    "admin:jsi18n": Route(PUBLIC),  # the admin's translated strings for its scripts; no data
    "admin:view_on_site": Route(ADMIN, "view_on_site"),
    "admin:app_list": Route(ADMIN, "app_label"),
    "admin:auth_user_password_change": Route(ADMIN, "user_id"),
    "admin/(?P<url>.*)$": Route(ADMIN, "catch_all"),
}
# Every model registered in the admin console: its changelist, add, history, delete and change
# pages (and the bare object address that redirects to change) are superusers' only.
ADMIN_MODELS = {
    "articles_article",
    "articles_claim",
    "auth_group",
    "auth_user",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
    "factcheck_apitoken",
    "reviews_assignment",
    "reviews_comment",
    "reviews_event",
    "reviews_knownfactcheck",
    "reviews_notification",
    "reviews_rating",
    "reviews_reviewerprofile",
    "reviews_ruling",
    "reviews_source",
    "webhooks_webhookdelivery",
    "webhooks_webhookendpoint",
}
ADMIN_PAGES = ("changelist", "add", "history", "delete", "change")
ADMIN_OBJECT_PAGES = ("history", "delete", "change")


# --- Walking the resolver ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # the route's name (namespaced), or its full pattern when it has none
    name: str | None
    pattern: str
    callback: object


def url_patterns() -> list[Pattern]:
    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace])) or None
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                full = prefix + str(p.pattern)
                yield Pattern(name or full, name, full, p.callback)

    return list(walk(get_resolver().url_patterns))


_ADMIN_NAME = re.compile(r"^admin:(?P<model>[a-z0-9_]+?)_(?P<page>changelist|add|history|delete|change)$")
_ADMIN_BARE = re.compile(r"^admin/(?P<app>[a-z0-9_]+)/(?P<model>[a-z0-9_]+)/<path:object_id>/$")


def classify(p: Pattern) -> Route | None:
    if p.key in ROUTES:
        return ROUTES[p.key]
    match = _ADMIN_NAME.match(p.key)
    if match and match["model"] in ADMIN_MODELS:
        return Route(ADMIN, "admin_object" if match["page"] in ADMIN_OBJECT_PAGES else None)
    match = _ADMIN_BARE.match(p.key)
    if match and f"{match['app']}_{match['model']}" in ADMIN_MODELS:
        return Route(ADMIN, "admin_object")
    return None


def test_every_url_pattern_is_classified():
    patterns = url_patterns()
    unclassified = [f"{p.key}  ({p.pattern})" for p in patterns if classify(p) is None]
    assert not unclassified, (
        "URL patterns nobody has classified in tests/security/test_access.py ROUTES (say who must be "
        "refused, then the sweep covers them):\n  " + "\n  ".join(unclassified)
    )
    keys = {p.key for p in patterns}
    stale = sorted(set(ROUTES) - keys)
    assert not stale, f"ROUTES lists patterns that no longer exist: {stale}"
    registered = {m.group("model") for p in patterns if p.key not in ROUTES and (m := _ADMIN_NAME.match(p.key))}
    assert registered == ADMIN_MODELS, f"admin models changed: {registered ^ ADMIN_MODELS}"


def is_api(p: Pattern) -> bool:
    return p.pattern.startswith("api/")


def methods_of(p: Pattern, route: Route) -> tuple[str, ...]:
    """An API view's methods from the view itself (a new action is swept without an edit here)."""
    if not is_api(p):
        return route.methods
    actions = getattr(p.callback, "actions", None)
    if actions:
        return tuple(sorted(m.upper() for m in actions))
    view_class = getattr(p.callback, "view_class", None) or getattr(p.callback, "cls", None)
    if view_class is None:
        return GET
    return tuple(m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m))


# --- Building requests ---------------------------------------------------------------------------


def object_pk(world: World, obj: str) -> int:
    return {
        "article": world.article.pk,
        "claim": world.claim.pk,
        "source": world.source.pk,
        "draft": world.draft.pk,
        "token": world.token.pk,
        "webhook": world.webhook.pk,
        "delivery": world.delivery.pk,
        "known": world.known.pk,
        "published": world.published.pk,
        "published_article": world.published_article.pk,
    }[obj]


def url_for(world: World, p: Pattern, route: Route, obj: str | None = None) -> str:
    obj = obj or route.obj
    if route.kind == CATCH_ALL:
        return "/api/v1/no-such-endpoint/"
    if route.kind == ADMIN and obj == "admin_object":
        app_model = _ADMIN_NAME.match(p.key) or _ADMIN_BARE.match(p.key)
        model = app_model["model"] if "app" not in app_model.groupdict() else f"{app_model['app']}_{app_model['model']}"
        app, _, model_name = model.partition("_")
        pk = _admin_pk(world, model)
        page = app_model.groupdict().get("page")
        return f"/admin/{app}/{model_name}/{pk}/" + (f"{page}/" if page else "")
    if obj == "catch_all":
        return "/admin/no/such/page/"
    if obj == "app_label":
        return reverse(p.name, kwargs={"app_label": "reviews"})
    if obj == "user_id":
        return reverse(p.name, kwargs={"id": world.users["erin"].pk})
    if obj == "view_on_site":
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(type(world.article))
        return reverse(p.name, kwargs={"content_type_id": ct.pk, "object_id": world.article.pk})
    if obj == "article+claim":
        return reverse(p.name, kwargs={"pk": world.article.pk, "claim_pk": world.claim.pk})
    if obj:
        return reverse(p.name, kwargs={"pk": object_pk(world, obj)})
    return reverse(p.name)


def _admin_pk(world: World, model: str) -> int:
    from django.apps import apps

    app, _, name = model.partition("_")
    row = apps.get_model(app, name).objects.order_by("pk").first()
    return row.pk if row else 1


def payload(world: World) -> dict:
    """A body that would do something if the permission check were missing: every field any
    form or serializer of the project reads, with a plausible value."""
    rita, otto = world.users["rita"], world.users["otto"]
    return {
        "title": "QXINTRUDER",
        "body": "QXINTRUDER wrote this. Unemployment rose by 40 percent.",
        "text": CLAIM_TEXT,
        "name": "QXINTRUDER",
        "url": "https://intruder.example.org/",
        "events": ["*"],
        "excerpt": "QXINTRUDER",
        "kind": "primary_document",
        "summary": "QXINTRUDER",
        "explanation": "QXINTRUDER",
        "rating": world.draft.rating_id,
        "note": "QXINTRUDER",
        "reviewer": otto.pk,
        "reviewer_id": otto.pk,
        "claims": [world.claim.pk],
        "claim": world.claim.pk,
        "into": world.claim.pk,
        "action": "reject",
        "priority": 1,
        "due_date": "2030-01-01",
        "version": world.claim.version,
        "draft": True,
        "active": False,
        "description": "QXINTRUDER",
        "username": "rita",
        "password": "wrong",
        "assignee": rita.pk,
    }


def watched(world: World) -> tuple:
    """The fields a refused write must not have changed (row counts catch new and deleted rows)."""
    from articles.models import Article, Claim
    from factcheck.models import ApiToken
    from factcheck.webhooks.models import WebhookDelivery, WebhookEndpoint
    from reviews.models import Ruling, Source

    claims = list(
        Claim.objects.order_by("pk").values_list("pk", "status", "assignee_id", "version", "priority", "text")
    )
    article = Article.objects.filter(pk=world.article.pk).values_list("version", "extraction_status", "title").first()
    rulings = list(Ruling.objects.order_by("pk").values_list("pk", "status", "version", "summary"))
    sources = list(Source.objects.order_by("pk").values_list("pk", "title", "url"))
    tokens = list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at", "name"))
    hooks = list(WebhookEndpoint.objects.order_by("pk").values_list("pk", "secret", "url", "active"))
    deliveries = list(WebhookDelivery.objects.order_by("pk").values_list("pk", "status", "attempts"))
    return claims, article, rulings, sources, tokens, hooks, deliveries


def send(world: World, persona: str, p: Pattern, route: Route, method: str, url: str):
    if is_api(p):
        client = world.api(persona)
        data = None if method in (*READS, "DELETE") else payload(world)
        return client.generic(method, url, json.dumps(data) if data else "", content_type="application/json")
    # Logging in or out changes the client's own session: use a throwaway one.
    client = world.client(persona, fresh=route.kind == AUTH)
    if method == "GET":
        return client.get(url)
    return client.post(url, payload(world))


def invisible_to(world: World, persona: str) -> list[str]:
    """Marker texts this persona must never be shown."""
    owners_only = [WEBHOOK_DESCRIPTION, TOKEN_NAME, world.token_secret, world.webhook.secret]
    if persona in ("ed", "rita"):
        return owners_only
    if persona == "otto":
        return [SECRET, *owners_only]
    return [SECRET, "QXKNOWN", *owners_only]  # olga, anon


# --- The sweep -----------------------------------------------------------------------------------


def _check_refused(problems, world, persona, p, route, method, response):
    where = f"{method} {p.key} as {persona}"
    status = response.status_code
    if route.kind == HIDDEN:
        if status != 404:
            problems.append(f"{where}: {status}, expected 404 (not published)")
        return
    if route.kind == ADMIN:
        if status != 302 or not response["Location"].startswith("/admin/login/"):
            problems.append(f"{where}: {status}, expected a redirect to the admin login")
        return
    if persona == "anon" and not is_api(p) and status == 302:
        if not response["Location"].startswith("/login/"):
            problems.append(f"{where}: redirected to {response['Location']}, not the login page")
        return
    allowed = {401, 403} if persona == "anon" and is_api(p) else {403, 404}
    if status not in allowed:
        problems.append(f"{where}: {status}, expected one of {sorted(allowed)}")


def _check_no_leak(problems, world, persona, p, method, response):
    body = response.content.decode("utf-8", "replace")
    if response.status_code >= 500:
        problems.append(f"{method} {p.key} as {persona}: {response.status_code}")
    for marker in invisible_to(world, persona):
        if marker in body:
            problems.append(f"{method} {p.key} as {persona}: the response shows {marker!r}")


def test_nobody_gets_what_they_may_not_see(world):
    for persona in SWEPT:  # log in now, outside the savepoints that are rolled back
        world.client(persona), world.api(persona)
    problems: list[str] = []
    tried = 0
    # Every request is rolled back, so each one starts from this state.
    before, state = row_counts(), watched(world)
    for p in url_patterns():
        route = classify(p)
        assert route is not None, p.key  # test_every_url_pattern_is_classified says which
        for method in methods_of(p, route):
            url = url_for(world, p, route)
            for persona in SWEPT:
                must_refuse = route.kind == ADMIN or persona in route.refused
                if route.kind == LIST and method in READS:
                    must_refuse = False  # a list is open; what it shows is checked below
                if route.kind in (AUTH, PUBLIC, CATCH_ALL):
                    must_refuse = False
                response, (after, state_after) = attempt(
                    partial(send, world, persona, p, route, method, url),
                    row_counts,
                    lambda: watched(world),
                )
                tried += 1
                _check_no_leak(problems, world, persona, p, method, response)
                if must_refuse:
                    _check_refused(problems, world, persona, p, route, method, response)
                    diff = changed(before, after)
                    if diff:
                        problems.append(f"{method} {p.key} as {persona}: refused, yet rows changed {diff}")
                    if state_after != state:
                        problems.append(f"{method} {p.key} as {persona}: refused, yet an object changed")
    print(f"Sweep: {tried} requests, {len(url_patterns())} URL patterns")
    assert tried > 300, tried  # the sweep really ran (every route, method and persona)
    assert not problems, "\n".join(problems)


def test_unpublished_objects_have_no_public_address(world):
    problems = []
    for p in url_patterns():
        route = classify(p)
        if route.kind != HIDDEN:
            continue
        for persona in ("erin", *SWEPT):
            client = world.api(persona) if is_api(p) else world.client(persona)
            response = client.get(url_for(world, p, route))
            if response.status_code != 404 or SECRET in response.content.decode("utf-8", "replace"):
                problems.append(f"{p.key} of the unpublished object as {persona}: {response.status_code}")
        # The published one is public: the 404 above is about publication, not the address.
        response = (world.api if is_api(p) else world.client)("anon").get(url_for(world, p, route, route.shown))
        if response.status_code != 200:
            problems.append(f"{p.key} of the published object, anonymous: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_the_markers_are_shown_to_those_who_may_see_them(world):
    """The positive control: the sweep's "not in the body" means something only if the same
    pages show the marker to the people entitled to it."""
    missing = []
    checked = 0
    for p in url_patterns():
        route = classify(p)
        if route is None or route.sees is None:
            continue
        persona, text = route.sees
        client = world.api(persona) if is_api(p) else world.client(persona)
        response = client.get(url_for(world, p, route))
        checked += 1
        if response.status_code != 200 or text not in response.content.decode("utf-8", "replace"):
            missing.append(
                f"{p.key} as {persona}: {response.status_code}, {text!r} shown: "
                f"{text in response.content.decode('utf-8', 'replace')}"
            )
    assert checked >= 20, checked
    assert not missing, "\n".join(missing)


def test_the_admin_console_lets_the_admin_in(world):
    # The ADMIN expectation (a redirect to the admin login) is not what everyone gets.
    client = world.client("ada")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(f"/admin/reviews/ruling/{world.draft.pk}/change/").status_code == 200


@pytest.mark.parametrize("persona", ["erin", "ed", "rita", "otto", "olga"])
def test_a_staff_flag_without_superuser_does_not_open_the_admin(world, persona):
    user = world.users[persona]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    response = world.client(persona).get(f"/admin/reviews/ruling/{world.draft.pk}/change/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert RULING_SUMMARY not in response.content.decode()


def test_the_world_is_what_the_sweep_assumes(world):
    assert KNOWN_CLAIM.startswith("QXKNOWN")
    assert world.claim.assignee == world.users["rita"]
    assert world.draft.status == "draft"
    assert world.published.status == "published"
