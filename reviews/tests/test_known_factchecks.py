"""The library of known fact-checks: ClaimReview markup from other fact-checkers, imported
from a file, a URL or the API, recognised by its normalised URL, bad items reported one by
one while the good ones are imported; read by the newsroom; "already checked by others"."""

import copy
import datetime
import http.server
import json
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles import services as article_services
from factcheck.testing import assert_error, fresh
from reviews import known
from reviews.known_selectors import key_terms, known_factchecks_similar
from reviews.models import KnownFactCheck, Rating, Ruling
from reviews.services import known_factchecks_import
from reviews.workflow import NotAllowed

from .test_claimreview_feed import BODY, many_published

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/known-fact-checks/import/"
LIBRARY = "/api/v1/known-fact-checks/"
# 1 role lookup, 1 count, 1 page (with the importer joined)
LIBRARY_QUERIES = 3


def review(n: int = 1, **changes) -> dict:
    """A ClaimReview as fact-checkers publish it, with every field the library reads."""
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checker.example.com/checks/{n}/",
        "claimReviewed": f"Wind turbines kill more birds than cats do ({n})",
        "datePublished": f"2026-01-{n:02d}",
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": "Checker Example", "url": "https://checker.example.com"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "False",
            "ratingValue": "1",
            "bestRating": 5,
            "worstRating": 1,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A. Senator"},
            "datePublished": "2025-12-30",
            "appearance": {"@type": "CreativeWork", "url": "https://social.example.net/post/77"},
        },
    }
    data.update(changes)
    return data


def datafeed(*reviews: dict) -> dict:
    """Google's Fact Check Markup Tool feed shape."""
    return {
        "@context": "http://schema.org",
        "@type": "DataFeed",
        "dateModified": "2026-02-01T10:00:00Z",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "dateCreated": "2026-01-01T00:00:00Z", "item": [r], "url": r.get("url")}
            for r in reviews
        ],
    }


def run(data, *, actor=None, source="file"):
    return known_factchecks_import(data=data, source=source, actor=actor)


# --- URL identity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://Checker.Example.COM/Checks/1/", "https://checker.example.com/Checks/1"),
        ("HTTPS://checker.example.com/checks/1#verdict", "https://checker.example.com/checks/1"),
        (
            "https://checker.example.com/checks/1/?utm_source=x&id=7&UTM_Medium=y&b=%20",
            "https://checker.example.com/checks/1?id=7&b=%20",
        ),
        ("https://checker.example.com:443/a", "https://checker.example.com/a"),
        ("http://checker.example.com:8080/a/", "http://checker.example.com:8080/a"),
        ("https://checker.example.com/", "https://checker.example.com"),
        ("http://[2001:DB8::1]/x/", "http://[2001:db8::1]/x"),
    ],
)
def test_urls_are_normalised_to_recognise_duplicates(url, normal):
    assert known.normalize_url(url) == normal


# --- The service -----------------------------------------------------------------------------------


def test_one_claimreview_is_imported_with_every_field(editor):
    report = run(review(), actor=editor, source="api")
    assert (report.created, report.updated, report.rejected, report.warnings) == (1, 0, [], [])
    row = KnownFactCheck.objects.get()
    assert row.review_url == "https://checker.example.com/checks/1"
    assert row.claim_reviewed == "Wind turbines kill more birds than cats do (1)"
    assert (row.rating_name, row.rating_value, row.rating_best, row.rating_worst) == ("False", 1.0, 5.0, 1.0)
    assert (row.publisher_name, row.publisher_url) == ("Checker Example", "https://checker.example.com")
    assert row.date_published == datetime.date(2026, 1, 1)
    assert row.claimant == "A. Senator"
    assert row.appearance_url == "https://social.example.net/post/77"
    assert row.language == "en"
    assert row.raw == review()
    assert (row.source, row.imported_by) == ("api", editor)
    assert timezone.now() - row.imported_at < datetime.timedelta(minutes=1)


def test_a_list_and_a_datafeed_are_imported():
    assert run([review(1), review(2)]).created == 2
    report = run(datafeed(review(3), review(4), review(5)))
    assert report.created == 3
    assert KnownFactCheck.objects.count() == 5


def test_a_pages_graph_is_imported_following_id_references():
    page = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": "https://checker.example.com/checks/9#page"},
            {"@type": "Organization", "@id": "#org", "name": "Graph Checker", "url": "https://graph.example.org"},
            {"@type": "Claim", "@id": "#claim", "author": {"@type": "Person", "name": "The Mayor"}},
            {
                "@type": ["ClaimReview"],
                "url": "https://checker.example.com/checks/9",
                "claimReviewed": "The bridge cost twice the budget",
                "author": {"@id": "#org"},
                "itemReviewed": {"@id": "#claim"},
                "reviewRating": {"@type": "Rating", "alternateName": "Mostly true"},
            },
        ],
    }
    report = run(page)
    assert (report.created, report.ignored) == (1, 3)
    row = KnownFactCheck.objects.get()
    assert (row.publisher_name, row.claimant, row.rating_name) == ("Graph Checker", "The Mayor", "Mostly true")


def test_bad_items_are_reported_one_by_one_while_good_ones_are_imported():
    feed = datafeed(review(1), review(2), review(3), review(4))
    items = feed["dataFeedElement"]
    del items[1]["item"][0]["url"]
    items[2]["item"][0]["reviewRating"] = {"@type": "Rating", "ratingValue": 3}
    items[3]["item"][0].update(claimReviewed="   ", url="javascript:alert(1)")
    feed["dataFeedElement"].append({"@type": "DataFeedItem", "item": None})
    feed["dataFeedElement"].append({"@type": "DataFeedItem", "item": [{"@type": "Review", "url": "https://x.org"}]})
    report = run(feed)
    assert report.created == 1
    assert KnownFactCheck.objects.get().review_url == "https://checker.example.com/checks/1"
    rejected = {item.index: (item.path, item.messages) for item in report.rejected}
    assert rejected == {
        1: ("dataFeedElement[1].item[0]", ["url: missing (the address of the fact-check is required)"]),
        2: ("dataFeedElement[2].item[0]", ["reviewRating.alternateName: missing (the verdict in words is required)"]),
        3: ("dataFeedElement[3].item[0]", ["url: not an http or https URL", "claimReviewed: missing or empty"]),
        4: ("dataFeedElement[4].item", ["expected a ClaimReview object, got null"]),
        5: ("dataFeedElement[5].item[0]", ["@type: expected ClaimReview, got Review"]),
    }


def test_malformed_optional_fields_are_dropped_with_a_warning():
    item = review(
        datePublished="last Tuesday",
        author={"@type": "Organization", "name": "Checker", "url": "ftp://checker.example.com"},
        reviewRating={"@type": "Rating", "alternateName": "False", "ratingValue": "one", "bestRating": True},
    )
    report = run([item])
    assert report.created == 1
    assert report.warnings[0].index == 0
    assert report.warnings[0].messages == [
        "reviewRating.ratingValue: not a number, dropped",
        "reviewRating.bestRating: not a number, dropped",
        "author.url: not an http or https URL, dropped",
        "datePublished: not an ISO 8601 date, dropped",
    ]
    row = KnownFactCheck.objects.get()
    assert (row.rating_value, row.rating_best, row.date_published, row.publisher_url) == (None, None, None, "")


def test_a_reimport_updates_changed_fact_checks_and_skips_unchanged_ones(editor, editor2):
    run([review(1), review(2)], actor=editor)
    first = KnownFactCheck.objects.get(review_url__endswith="/1")
    changed = review(2, reviewRating={"@type": "Rating", "alternateName": "Misleading"})
    # The same fact-check under another spelling of its URL is recognised.
    changed["url"] = "HTTPS://CHECKER.example.com/checks/2?utm_campaign=share#top"
    report = run([review(1), changed], actor=editor2, source="url")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert KnownFactCheck.objects.count() == 2
    row = KnownFactCheck.objects.get(review_url="https://checker.example.com/checks/2")
    assert (row.rating_name, row.imported_by, row.source) == ("Misleading", editor2, "url")
    assert KnownFactCheck.objects.get(pk=first.pk).imported_by == editor  # unchanged: untouched


def test_the_same_fact_check_twice_in_one_document_is_imported_once():
    report = run([review(1), review(1, url="https://checker.example.com/checks/1#again")])
    assert report.created == 1
    assert [(d.index, d.messages) for d in report.duplicates] == [(1, ["same URL as item 0; skipped"])]


def test_hostile_strings_are_stored_as_text(api, editor):
    hostile = '<script>alert("x")</script> \' OR 1=1; -- {{ 7*7 }}'
    item = review(claimReviewed=f"{hostile}\x00\x07 \ud800end")
    item["itemReviewed"]["author"]["name"] = "<img src=x onerror=alert(1)>"
    run([item])
    row = KnownFactCheck.objects.get()
    # Markup is kept as text; NUL and control characters (refused by PostgreSQL) and a lone
    # surrogate (not UTF-8) are not.
    assert row.claim_reviewed == f"{hostile} ?end"
    assert row.claimant == "<img src=x onerror=alert(1)>"
    assert row.raw["claimReviewed"] == f"{hostile} ?end"
    api.force_authenticate(editor)
    assert api.get(LIBRARY).json()["results"][0]["claim_reviewed"] == f"{hostile} ?end"


def test_when_no_item_is_usable_nothing_is_written_and_every_reason_is_given():
    with pytest.raises(ValidationError) as caught:
        run([{"@type": "ClaimReview"}, "not an object"])
    assert caught.value.message_dict == {
        "[0] (item 0)": [
            "url: missing (the address of the fact-check is required)",
            "claimReviewed: missing or empty",
            "reviewRating: missing",
        ],
        "[1] (item 1)": ["expected a ClaimReview object, got text"],
    }
    assert not KnownFactCheck.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        "a string",
        42,
        {"@type": "WebPage"},
        {"@type": "DataFeed", "dataFeedElement": "nope"},
        [],
        {"@graph": [{"@type": "WebPage"}]},
    ],
)
def test_a_document_without_claimreviews_is_refused_as_a_whole(data):
    with pytest.raises(known.MarkupError):
        run(data)
    assert not KnownFactCheck.objects.exists()


def test_too_many_items_are_refused_as_a_whole(monkeypatch):
    monkeypatch.setattr(known, "MAX_ITEMS", 3)
    with pytest.raises(known.MarkupError, match="More than 3 items"):
        run([review(n) for n in range(1, 5)])
    assert not KnownFactCheck.objects.exists()


def test_only_editors_import(reviewer, outsider):
    for user in (reviewer, outsider):
        with pytest.raises(NotAllowed):
            run(review(), actor=user)
    assert not KnownFactCheck.objects.exists()


# --- Round trip ----------------------------------------------------------------------------------


def test_our_own_feed_imports_into_the_library(api, editor, reviewer, editor2, settings):
    article = article_services.article_create(submitted_by=editor, title="Budget", body=BODY, extract=False)
    rulings = many_published(article, 3, reviewer=reviewer, editor2=editor2)
    feed = json.loads(api.get("/api/v1/claimreview/feed/").content)
    api.force_authenticate(editor)
    response = api.post(IMPORT, json.dumps(feed), content_type="application/ld+json")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3
    for ruling in rulings:
        row = KnownFactCheck.objects.get(
            review_url=known.normalize_url(f"{settings.SITE_URL}/fact-checks/{ruling.pk}/")
        )
        assert row.claim_reviewed == ruling.summary
        assert row.rating_name == ruling.rating.name
        assert row.publisher_name == settings.FACTCHECK_ORG_NAME
        assert row.date_published == timezone.localdate(ruling.published_at)
    # Importing it again changes nothing.
    again = api.post(IMPORT, json.dumps(feed), content_type="application/ld+json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)


# --- The API: import --------------------------------------------------------------------------------


def test_an_editor_imports_through_the_api_and_gets_a_report(api, editor):
    api.force_authenticate(editor)
    response = api.post(IMPORT, [review(1), {"@type": "ClaimReview", "url": "https://x.example.org/"}], format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["ignored"]) == (1, 0, 0, 0)
    assert body["rejected"] == [
        {
            "index": 1,
            "path": "[1]",
            "url": "https://x.example.org/",
            "messages": ["claimReviewed: missing or empty", "reviewRating: missing"],
        }
    ]
    assert KnownFactCheck.objects.get().source == "api"


@pytest.mark.parametrize(
    ("persona", "status"), [(None, 401), ("outsider", 403), ("reviewer", 403), ("editor2", 200), ("admin_user", 200)]
)
def test_who_may_import(api, request, persona, status):
    if persona:
        api.force_authenticate(request.getfixturevalue(persona))
    response = api.post(IMPORT, review(), format="json")
    assert response.status_code == status, response.content
    assert KnownFactCheck.objects.count() == (1 if status == 200 else 0)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"{not json", "application/json", 400, "parse_error"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "application/json", 400, "parse_error"),
        (b'{"@type": "ClaimReview", "ratingValue": NaN}', "application/json", 400, "parse_error"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "parse_error"),
        (b'"just a string"', "application/json", 400, "invalid"),
        (b"[]", "application/json", 400, "invalid"),
        (b"", "application/json", 400, "invalid"),
        (json.dumps(review()).encode(), "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_bad_bodies_are_4xx_and_write_nothing(api, editor, body, content_type, status, code):
    api.force_authenticate(editor)
    assert_error(api.generic("POST", IMPORT, body, content_type=content_type), status, code)
    assert not KnownFactCheck.objects.exists()


def test_a_body_over_5_mb_is_refused_unread(api, editor):
    api.force_authenticate(editor)
    padding = " " * known.MAX_BYTES
    error = assert_error(
        api.generic("POST", IMPORT, (json.dumps(review()) + padding).encode(), content_type="application/json"),
        400,
        "parse_error",
    )
    assert "5 MB" in error["message"]
    assert not KnownFactCheck.objects.exists()


def test_an_import_where_every_item_is_bad_is_a_400_naming_each(api, editor):
    api.force_authenticate(editor)
    error = assert_error(api.post(IMPORT, datafeed(review(1, url="")), format="json"), 400, "invalid")
    assert error["fields"] == {
        "dataFeedElement[0].item[0] (item 0)": ["url: missing (the address of the fact-check is required)"]
    }


# --- The API: the library -----------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [(None, 401), ("outsider", 403), ("reviewer", 200), ("editor", 200)])
def test_who_may_read_the_library(api, request, persona, status):
    run([review(1)])
    if persona:
        api.force_authenticate(request.getfixturevalue(persona))
    response = api.get(LIBRARY)
    assert response.status_code == status
    row = KnownFactCheck.objects.get()
    assert api.get(f"{LIBRARY}{row.pk}/").status_code == status


def test_the_library_lists_newest_first_without_the_raw_markup(api, reviewer):
    run([review(1), review(3), review(2, datePublished=None)])
    api.force_authenticate(reviewer)
    body = api.get(LIBRARY).json()
    assert body["count"] == 3
    assert [r["date_published"] for r in body["results"]] == ["2026-01-03", "2026-01-01", None]
    assert "raw" not in body["results"][0]
    detail = api.get(f"{LIBRARY}{body['results'][0]['id']}/").json()
    assert detail["raw"] == review(3)
    assert_error(api.get(f"{LIBRARY}999999/"), 404, "not_found")


def test_the_library_filters_by_words_publisher_and_rating(api, reviewer):
    run(
        [
            review(1),
            review(2, claimReviewed="The tram line doubled its riders"),
            review(3, author={"name": "Other Desk"}, reviewRating={"alternateName": "True"}),
        ]
    )
    api.force_authenticate(reviewer)

    def urls(**params):
        return sorted(r["review_url"][-1] for r in api.get(LIBRARY, params).json()["results"])

    assert urls(q="tram riders") == ["2"]
    assert urls(q="senator wind") == ["1", "3"]  # words in the claim or the claimant, all of them
    assert urls(publisher="other desk") == ["3"]
    assert urls(rating="FALSE") == ["1", "2"]
    assert urls(q="nothing-matches") == []


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_the_library_query_count_does_not_grow(api, request, editor, django_assert_num_queries, persona):
    user = request.getfixturevalue(persona)
    run([review(1)], actor=editor)
    api.force_authenticate(fresh(user))
    with django_assert_num_queries(LIBRARY_QUERIES):
        assert api.get(LIBRARY).status_code == 200
    run([review(n, url=f"https://checker.example.com/more/{n}") for n in range(1, 61)], actor=editor)
    api.force_authenticate(fresh(user))
    with django_assert_num_queries(LIBRARY_QUERIES):
        response = api.get(LIBRARY, {"page_size": 200})
    assert len(response.json()["results"]) == 61


# --- The command ------------------------------------------------------------------------------------


class _Feed(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict, bytes]] = {}

    def do_GET(self):
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", headers.get("Content-Length", str(len(body))))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 serving ``server.routes``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    _Feed.routes = {}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.routes = _Feed.routes
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_the_command_imports_a_feed_from_a_url(server, editor, capsys):
    feed = datafeed(review(1), review(2, url="mailto:someone"))
    server.routes["/feed.json"] = (200, {"Content-Type": "application/json"}, json.dumps(feed).encode())
    call_command("import_claimreview", f"{server.url}/feed.json", "--user", "erin")
    out, err = capsys.readouterr()
    assert "1 created, 0 updated" in out and "1 rejected" in out
    assert "rejected: item 1 (dataFeedElement[1].item[0]) mailto:someone: url: not an http or https URL" in err
    row = KnownFactCheck.objects.get()
    assert (row.source, row.source_name, row.imported_by) == ("url", f"{server.url}/feed.json", editor)


def test_the_command_follows_a_redirect_to_http_only(server):
    server.routes["/old"] = (301, {"Location": "/feed.json"}, b"")
    server.routes["/feed.json"] = (200, {}, json.dumps(review()).encode())
    call_command("import_claimreview", f"{server.url}/old")
    assert KnownFactCheck.objects.count() == 1
    server.routes["/local"] = (302, {"Location": "file:///etc/passwd"}, b"")
    with pytest.raises(CommandError, match="not allowed"):
        call_command("import_claimreview", f"{server.url}/local")
    server.routes["/ftp"] = (302, {"Location": "ftp://127.0.0.1/feed.json"}, b"")
    with pytest.raises(CommandError, match="redirected to a non-http address"):
        call_command("import_claimreview", f"{server.url}/ftp")


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ((500, {}, b"oops"), "answered 500"),
        ((200, {"Content-Length": str(known.MAX_BYTES + 1)}, b"{}"), "larger than 5 MB"),
        ((200, {}, b"<html>not json</html>"), "not valid JSON"),
        ((200, {}, b"{}"), "Expected a ClaimReview"),
    ],
)
def test_the_command_refuses_bad_answers(server, route, message):
    server.routes["/bad"] = route
    with pytest.raises(CommandError, match=message):
        call_command("import_claimreview", f"{server.url}/bad")
    assert not KnownFactCheck.objects.exists()


def test_the_command_refuses_other_schemes_and_unreachable_hosts():
    with pytest.raises(CommandError, match="Only http and https"):
        call_command("import_claimreview", "ftp://127.0.0.1/feed.json")
    with pytest.raises(CommandError, match="could not be fetched"):
        call_command("import_claimreview", "http://127.0.0.1:9/feed.json", "--timeout", "2")


def test_the_command_imports_a_file(tmp_path, capsys):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([review(1), review(2)]), encoding="utf-8")
    call_command("import_claimreview", str(path))
    assert "2 created" in capsys.readouterr().out
    assert set(KnownFactCheck.objects.values_list("source", flat=True)) == {"file"}


def test_the_command_refuses_missing_huge_and_binary_files(tmp_path, reviewer):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_claimreview", str(tmp_path / "missing.json"))
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (known.MAX_BYTES + 1))
    with pytest.raises(CommandError, match="larger than 5 MB"):
        call_command("import_claimreview", str(huge))
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00\x01" * 10)
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_claimreview", str(binary))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(review()), encoding="utf-8")
    with pytest.raises(CommandError, match="Only editors"):
        call_command("import_claimreview", str(good), "--user", "rita")
    assert not KnownFactCheck.objects.exists()


# --- The admin ----------------------------------------------------------------------------------------


def test_admins_browse_the_library_read_only_with_the_raw_markup_escaped(client, admin_user):
    run([review(1, claimReviewed="<b>bold</b> claim")])
    row = KnownFactCheck.objects.get()
    client.force_login(admin_user)
    listing = client.get("/admin/reviews/knownfactcheck/?q=bold")
    assert listing.status_code == 200
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in listing.text
    page = client.get(f"/admin/reviews/knownfactcheck/{row.pk}/change/")
    assert page.status_code == 200
    assert "&quot;claimReviewed&quot;: &quot;&lt;b&gt;bold&lt;/b&gt; claim&quot;" in page.text
    assert 'name="_save"' not in page.text  # read-only
    assert client.post(f"/admin/reviews/knownfactcheck/{row.pk}/delete/").status_code == 403


# --- Already checked by others -----------------------------------------------------------------------


def test_similar_fact_checks_share_key_terms_best_first():
    run(
        [
            review(1, claimReviewed="Wind turbines kill more birds than domestic cats"),
            review(2, claimReviewed="Domestic cats kill billions of birds every year"),
            review(3, claimReviewed="Solar panels poison farmland"),
            review(4, claimReviewed="Turbines are noisy"),
        ]
    )
    found = known_factchecks_similar("Do wind turbines really kill more birds than cats?")
    assert [r.claim_reviewed for r in found] == [
        "Wind turbines kill more birds than domestic cats",
        "Domestic cats kill billions of birds every year",
    ]
    assert known_factchecks_similar("Wind turbines kill birds", limit=1)[0].review_url.endswith("/1")
    assert known_factchecks_similar("the and of") == []
    assert known_factchecks_similar("Completely unrelated sentence about trains") == []


def test_key_terms_drop_stopwords_and_numbers():
    assert key_terms("The 2024 budget was cut by the Finance Ministry in 2024") == [
        "ministry",
        "finance",
        "budget",
        "cut",
    ]


def test_the_feed_item_is_stored_as_it_was_published():
    item = review(1)
    run(datafeed(copy.deepcopy(item)))
    assert KnownFactCheck.objects.get().raw == item


def test_ruling_rating_names_are_kept_for_a_round_trip_unproven(api, editor, reviewer, editor2):
    # An off-scale rating (no ratingValue) imports with its name and no numbers.
    article = article_services.article_create(submitted_by=editor, title="T", body=BODY, extract=False)
    (ruling,) = many_published(article, 1, reviewer=reviewer, editor2=editor2, first=0)
    Ruling.objects.filter(pk=ruling.pk).update(rating=Rating.objects.get(slug="unproven"))
    feed = json.loads(api.get("/api/v1/claimreview/feed/").content)
    run(feed)
    row = KnownFactCheck.objects.get()
    assert (row.rating_name, row.rating_value, row.rating_best) == ("Unproven", None, None)
