"""The admin console for articles and claims: who gets in, writes through the services,
actions that report refusals, changelists with a fixed query budget, escaped output."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles import services
from articles.models import Article, Claim
from reviews import services as review_services
from reviews.models import Event

pytestmark = pytest.mark.django_db

NON_ADMINS = ["editor", "reviewer", "outsider", "staff_non_admin"]


@pytest.fixture
def staff_non_admin(django_user_model):
    """A staff account that is not a superuser: the console is for admins only."""
    return django_user_model.objects.create_user(username="stan", password="x", is_staff=True)


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def _urls(article: Article) -> list[str]:
    claim = article.claims.first()
    return [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_claim_changelist"),
        reverse("admin:articles_claim_change", args=[claim.pk]),
    ]


def _make_articles(editor, count: int, *, claims_each: int = 3) -> None:
    for i in range(count):
        body = " ".join(
            f"Sentence {j} of article {i} says unemployment rose by {j} percent." for j in range(claims_each)
        )
        art = services.article_create(submitted_by=editor, title=f"Article {i}", body=body, extract=False)
        Claim.objects.bulk_create(
            Claim(article=art, start=j * 10, end=j * 10 + 5, text=body[j * 10 : j * 10 + 5]) for j in range(claims_each)
        )


# --- Access -----------------------------------------------------------------------------------


def test_admin_gets_every_article_and_claim_page(admin_client_, article):
    for url in _urls(article):
        assert admin_client_.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_non_admins_are_sent_to_the_admin_login(client, article, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in _urls(article):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_anonymous_is_sent_to_the_admin_login(client, article):
    for url in _urls(article):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_claims_cannot_be_added_or_deleted_in_the_admin(admin_client_, article):
    # Claims come from extraction; reject them instead of deleting their audit trail.
    claim = article.claims.first()
    assert admin_client_.get(reverse("admin:articles_claim_add")).status_code == 403
    assert admin_client_.get(reverse("admin:articles_claim_delete", args=[claim.pk])).status_code == 403


# --- Adding and changing articles -------------------------------------------------------------


def _article_form(**overrides) -> dict:
    data = {
        "title": "Minister on jobs",
        "body": 'The minister said, "Unemployment fell by 3 percent in 2024."\nOther text follows.',
        "source_url": "https://example.org/jobs",
        "outlet": "Example Wire",
        "byline": "A. Writer",
        "published_on": "2025-06-24",
        "language": "en",
        # The read-only claims inline still posts its (empty) management form.
        "claims-TOTAL_FORMS": "0",
        "claims-INITIAL_FORMS": "0",
        "claims-MIN_NUM_FORMS": "0",
        "claims-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_adding_an_article_goes_through_the_service(admin_client_, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client_.post(reverse("admin:articles_article_add"), _article_form())

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.title == "Minister on jobs"
    assert article.submitted_by == admin_user
    assert article.extraction_status == Article.ExtractionStatus.PENDING
    assert article.extraction_requested_at is not None
    events = list(Event.objects.filter(article=article).values_list("action", "actor"))
    assert events == [("article.submitted", admin_user.pk)]
    assert len(callbacks) == 1  # the extraction is enqueued after commit


def test_an_empty_title_defaults_to_the_first_line(admin_client_):
    admin_client_.post(reverse("admin:articles_article_add"), _article_form(title=""))
    assert Article.objects.get().title == 'The minister said, "Unemployment fell by 3 percent in 2024."'


def test_adding_an_article_applies_the_shared_input_rules(admin_client_):
    response = admin_client_.post(
        reverse("admin:articles_article_add"), _article_form(body="binary\x01data", source_url="ftp://x.org/")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "control characters" in errors["body"][0]
    assert "http or https" in errors["source_url"][0]
    assert not Article.objects.exists()
    assert not Event.objects.exists()


def test_changing_the_body_requests_a_new_extraction(admin_client_, admin_user, article):
    data = _article_form(
        title=article.title,
        body=article.body + "\nA new paragraph says exports doubled in 2024.",
        **{"claims-INITIAL_FORMS": str(article.claims.count()), "claims-TOTAL_FORMS": str(article.claims.count())},
    )
    response = admin_client_.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body.endswith("exports doubled in 2024.")
    assert article.extraction_status == Article.ExtractionStatus.PENDING
    assert Event.objects.filter(article=article, action="article.extraction_requested", actor=admin_user).exists()


def test_changing_only_the_metadata_does_not_re_extract(admin_client_, article):
    count = article.claims.count()
    data = _article_form(
        title="A better title",
        body=article.body,
        **{"claims-INITIAL_FORMS": str(count), "claims-TOTAL_FORMS": str(count)},
    )
    before = Event.objects.filter(article=article).count()
    response = admin_client_.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "A better title"
    assert article.extraction_status == Article.ExtractionStatus.DONE
    assert Event.objects.filter(article=article).count() == before


def test_saving_an_unchanged_body_from_a_browser_does_not_re_extract(admin_client_, article):
    # Browsers post textareas with CRLF line endings; the stored body has LF.
    count = article.claims.count()
    data = _article_form(
        title=article.title,
        body=article.body.replace("\n", "\r\n"),
        **{"claims-INITIAL_FORMS": str(count), "claims-TOTAL_FORMS": str(count)},
    )
    response = admin_client_.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert "\r" not in article.body
    assert article.extraction_status == Article.ExtractionStatus.DONE
    assert (
        not Event.objects.filter(article=article, action="article.extraction_requested")
        .exclude(created_at__lte=article.extracted_at)
        .exists()
    )


def test_re_extract_action_queues_the_articles(admin_client_, admin_user, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client_.post(
            reverse("admin:articles_article_changelist"),
            {"action": "re_extract", "_selected_action": [article.pk]},
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.extraction_status == Article.ExtractionStatus.PENDING
    assert Event.objects.filter(article=article, action="article.extraction_requested", actor=admin_user).exists()
    assert len(callbacks) == 1
    assert "1 article queued for extraction." in [str(m) for m in get_messages(response.wsgi_request)]


# --- Claim actions ----------------------------------------------------------------------------


def _act(client, action: str, claims):
    return client.post(
        reverse("admin:articles_claim_changelist"),
        {"action": action, "_selected_action": [c.pk for c in claims]},
    )


def test_accept_action_accepts_candidates_and_writes_events(admin_client_, admin_user, article):
    claims = list(article.claims.order_by("start")[:3])
    response = _act(admin_client_, "accept", claims)

    assert response.status_code == 302
    for claim in claims:
        claim.refresh_from_db()
        assert claim.status == Claim.Status.ACCEPTED
        event = Event.objects.get(claim=claim, action="claim.accept")
        assert (event.actor, event.from_state, event.to_state) == (admin_user, "candidate", "accepted")
    assert "3 claims accepted." in [str(m) for m in get_messages(response.wsgi_request)]


def test_refused_claims_are_reported_and_the_others_go_ahead(admin_client_, article, editor, reviewer):
    candidate, assigned = article.claims.order_by("start")[:2]
    review_services.claim_assign(claim=assigned, reviewer=reviewer, actor=editor)

    response = _act(admin_client_, "accept", [candidate, assigned])

    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Claim #{assigned.pk}: Cannot accept a claim that is assigned." in messages
    assert "1 claim accepted." in messages
    candidate.refresh_from_db()
    assigned.refresh_from_db()
    assert (candidate.status, assigned.status) == (Claim.Status.ACCEPTED, Claim.Status.ASSIGNED)
    assert not Event.objects.filter(claim=assigned, action="claim.accept").exists()


def test_reject_action_rejects(admin_client_, admin_user, article):
    claim = article.claims.first()
    _act(admin_client_, "reject", [claim])
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert Event.objects.filter(claim=claim, action="claim.reject", actor=admin_user).exists()


def test_claim_status_cannot_be_edited_in_the_admin(admin_client_, article):
    claim = article.claims.first()
    data = {
        "status": "published",
        "start": "0",
        "end": "1",
        "speaker": "Someone Else",
        "checkworthiness": "0.5",
        "checkworthy": "on",
        "claim_type": "quantity",
        "priority": "3",
        "due_date": "",
    }
    for prefix in ("sources", "assignments", "rulings", "comments", "events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    span = (claim.start, claim.end, claim.text)
    response = admin_client_.post(reverse("admin:articles_claim_change", args=[claim.pk]), data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CANDIDATE
    assert (claim.start, claim.end, claim.text) == span
    assert claim.speaker == "Someone Else"  # editorial metadata may be corrected


def _claim_form(claim, **overrides) -> dict:
    data = {
        "speaker": claim.speaker,
        "checkworthiness": str(claim.checkworthiness),
        "checkworthy": "on" if claim.checkworthy else "",
        "claim_type": claim.claim_type,
        "priority": str(claim.priority),
        "due_date": claim.due_date.isoformat() if claim.due_date else "",
    }
    for prefix in ("sources", "assignments", "rulings", "comments", "events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def test_priority_and_due_date_go_through_the_claim_update_service(admin_client_, admin_user, article):
    claim = article.claims.exclude(priority=Claim.Priority.URGENT).first()
    was = Claim.Priority(claim.priority).label
    response = admin_client_.post(
        reverse("admin:articles_claim_change", args=[claim.pk]), _claim_form(claim, priority="4", due_date="2025-07-01")
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.priority, claim.due_date.isoformat(), claim.version) == (4, "2025-07-01", 2)
    event = Event.objects.get(claim=claim, action="claim.updated")
    assert (event.actor, event.note) == (
        admin_user,
        f"priority {was} → Urgent; due — → 2025-07-01 (in the admin console)",
    )


def test_other_metadata_is_saved_without_a_workflow_event(admin_client_, article):
    claim = article.claims.first()
    admin_client_.post(
        reverse("admin:articles_claim_change", args=[claim.pk]), _claim_form(claim, speaker="A. Minister")
    )
    claim.refresh_from_db()
    assert (claim.speaker, claim.version) == ("A. Minister", 1)
    assert not Event.objects.filter(claim=claim, action="claim.updated").exists()


def test_a_merged_claims_priority_is_read_only(admin_client_, article, editor):
    claim, into = article.claims.order_by("start")[:2]
    review_services.claim_merge(claim=claim, into=into, actor=editor)
    form = admin_client_.get(reverse("admin:articles_claim_change", args=[claim.pk])).context["adminform"].form
    assert "priority" not in form.fields and "due_date" not in form.fields


def test_a_rejected_claims_priority_is_read_only_and_saving_it_is_no_error(admin_client_, article, editor):
    """claim_update refuses every closed claim, so the admin does not offer the fields."""
    claim = article.claims.order_by("start").first()
    review_services.claim_reject(claim=claim, actor=editor)
    url = reverse("admin:articles_claim_change", args=[claim.pk])
    form = admin_client_.get(url).context["adminform"].form
    assert "priority" not in form.fields and "due_date" not in form.fields
    claim.refresh_from_db()
    response = admin_client_.post(url, _claim_form(claim, speaker="Someone", priority=3))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.speaker == "Someone" and claim.status == "rejected"


def test_the_claim_page_shows_its_comments(admin_client_, article, editor):
    claim = article.claims.first()
    review_services.comment_add(claim=claim, actor=editor, body="Is 2023 the right base year?")
    content = admin_client_.get(reverse("admin:articles_claim_change", args=[claim.pk])).content.decode()
    assert "Is 2023 the right base year?" in content


# --- Query budgets ----------------------------------------------------------------------------

# Session, user, the roles context processor's groups, counts, the filters' value lists and
# the page itself; none of them per row.
CHANGELIST_BUDGETS = [
    ("admin:articles_article_changelist", "", 9),
    ("admin:articles_article_changelist", "?q=Article&extraction_status__exact=pending&o=4", 9),
    ("admin:articles_claim_changelist", "", 9),
    # Filtered by one article (the "Claims" link on an article's page): one more for its title.
    ("admin:articles_claim_changelist", "?status__exact=candidate&article={article}&o=-4", 10),
]


@pytest.mark.parametrize(("url_name", "query", "budget"), CHANGELIST_BUDGETS)
def test_changelist_query_count_is_pinned(
    admin_client_, editor, reviewer, django_assert_num_queries, url_name, query, budget
):
    _make_articles(editor, 2)
    url = reverse(url_name) + query.format(article=Article.objects.earliest("created_at").pk)
    Claim.objects.filter(pk__in=Claim.objects.values("pk")[:2]).update(assignee=reviewer)
    with django_assert_num_queries(budget):
        assert admin_client_.get(url).status_code == 200

    _make_articles(editor, 40)  # 42 articles, 126 claims: more than a page of 100
    Claim.objects.update(assignee=reviewer)
    with django_assert_num_queries(budget):
        assert admin_client_.get(url).status_code == 200


def test_article_changelist_never_loads_bodies(admin_client_, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        admin_client_.get(reverse("admin:articles_article_changelist"))
        admin_client_.get(reverse("admin:articles_claim_changelist"))
    selects = [q["sql"] for q in ctx.captured_queries if "articles_article" in q["sql"]]
    assert selects
    assert not any('"articles_article"."body"' in sql for sql in selects)


# --- Escaping ---------------------------------------------------------------------------------


def test_script_in_title_and_body_is_escaped(admin_client_, editor):
    payload = "<script>alert(1)</script>"
    art = services.article_create(
        submitted_by=editor, title=f"Title {payload}", body=f"Body {payload} says 5 percent.", extract=False
    )
    Claim.objects.create(article=art, start=0, end=len(art.body), text=art.body, speaker=payload)

    for url in (
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[art.pk]),
        reverse("admin:articles_claim_changelist"),
    ):
        content = admin_client_.get(url).content.decode()
        assert payload not in content, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content, url


def test_article_page_query_count_does_not_grow_with_claims(
    admin_client_, article, reviewer, other_reviewer, django_assert_num_queries
):
    url = reverse("admin:articles_article_change", args=[article.pk])
    budget = 6  # session, user, article, its submitter, the roles context processor, the claims
    with django_assert_num_queries(budget):
        assert admin_client_.get(url).status_code == 200

    end = len(article.body)
    Claim.objects.bulk_create(
        Claim(article=article, start=end + i, end=end + i + 1, text="x", assignee=reviewer if i % 2 else other_reviewer)
        for i in range(60)
    )
    with django_assert_num_queries(budget):
        response = admin_client_.get(url)
    assert response.content.decode().count(reverse("admin:articles_claim_change", args=[article.claims.last().pk])) == 1
