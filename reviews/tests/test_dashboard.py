"""The editors' dashboard: who may see it, what each figure counts, and a query count that does
not grow with the number of claims."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles import services as article_services
from articles.models import Article, Claim
from reviews import services, stats
from reviews.charts import nice_ticks
from reviews.dashboard import duration_text
from reviews.models import Event, Rating, ReviewerProfile, Ruling

pytestmark = pytest.mark.django_db

URL = "/dashboard/"
# Session, user, groups; claim counts; reviewer loads; median (count, middle); published per
# week; verdicts per week (counts, the scale).
DASHBOARD_QUERIES = 10

S = Claim.Status


def _article(editor, n: int) -> tuple[Article, list[Claim]]:
    body = "\n".join(f"Line {i}: the figure rose by {i} percent." for i in range(n))
    article = article_services.article_create(submitted_by=editor, title="Figures", body=body, extract=False)
    claims = []
    for i in range(n):
        text = f"the figure rose by {i} percent"
        start = body.index(f"Line {i}: ") + len(f"Line {i}: ")
        claims.append(Claim.objects.create(article=article, start=start, end=start + len(text), text=text))
    return article, claims


def _assign(claim, *, editor, reviewer, due=None):
    return services.claim_assign(claim=claim, reviewer=reviewer, actor=editor, due_date=due)


def _publish(claim, *, editor, editor2, reviewer, rating="mostly-true", summary="The figure rose") -> Ruling:
    _assign(claim, editor=editor, reviewer=reviewer)
    services.source_add(claim=claim, actor=reviewer, title="Statistics", url="https://example.org/stats")
    ruling = services.ruling_submit(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug=rating), summary=summary, explanation="Checked."
    )
    services.ruling_approve(ruling=ruling, actor=editor2)
    return services.ruling_publish(ruling=ruling, actor=editor2)


def _backdate(ruling: Ruling, *, published_days_ago: float, took_days: float) -> None:
    """Move a published claim's assignment and publication into the past."""
    published = timezone.now() - datetime.timedelta(days=published_days_ago)
    assigned = published - datetime.timedelta(days=took_days)
    events = Event.objects.filter(claim_id=ruling.claim_id)
    events.filter(action="claim.assign").update(created_at=assigned)
    events.filter(action="claim.publish").update(created_at=published)
    Ruling.objects.filter(pk=ruling.pk).update(published_at=published)


# --- Who may see it ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["outsider", "reviewer", "other_reviewer"])
def test_only_editors_may_see_it(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["editor", "editor2", "admin_user"])
def test_editors_and_admins_see_it(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert "<title>Dashboard · factcheck</title>" in response.text
    assert 'href="/dashboard/" aria-current="page">Dashboard</a>' in response.text


def test_the_nav_link_is_for_editors_only(client, reviewer, editor):
    client.force_login(reviewer)
    assert 'href="/dashboard/"' not in client.get(reverse("factcheck-index")).text
    client.force_login(editor)
    assert 'href="/dashboard/"' in client.get(reverse("factcheck-index")).text


# --- What it counts ----------------------------------------------------------------------------


def test_claims_by_state_and_overdue(client, editor, editor2, reviewer):
    _, claims = _article(editor, 7)
    today = timezone.localdate()
    services.claim_accept(claim=claims[0], actor=editor)
    services.claim_reject(claim=claims[1], actor=editor)
    _assign(claims[2], editor=editor, reviewer=reviewer, due=today - datetime.timedelta(days=1))  # overdue
    _assign(claims[3], editor=editor, reviewer=reviewer, due=today)  # due today: not yet overdue
    ruling = _publish(claims[4], editor=editor, editor2=editor2, reviewer=reviewer)
    Claim.objects.filter(pk=ruling.claim_id).update(due_date=today - datetime.timedelta(days=9))  # done: not overdue

    client.force_login(editor)
    response = client.get(URL)
    counts = response.context["counts"]
    by_state = {value: n for value, _, n in counts.by_state}
    assert by_state == {
        **dict.fromkeys(S.values, 0),
        S.CANDIDATE: 2,
        S.ACCEPTED: 1,
        S.REJECTED: 1,
        S.ASSIGNED: 2,
        S.PUBLISHED: 1,
    }
    assert counts.total == 7
    assert counts.overdue == 1
    assert 'href="/claims/?overdue=1"' in response.text
    assert "1 overdue claim</a>" in response.text
    assert 'href="/claims/?status=candidate">Candidate</a>' in response.text
    assert '<svg class="chart"' in response.text and "<title>Candidate: 2</title>" in response.text


def test_reviewer_load_against_each_cap(client, editor, reviewer, other_reviewer, django_user_model, settings):
    settings.REVIEWER_MAX_OPEN = 10
    ReviewerProfile.objects.create(user=reviewer, max_open=2)
    away = django_user_model.objects.create_user(username="away")
    away.groups.add(*reviewer.groups.all())
    ReviewerProfile.objects.create(user=away, available=False)
    _, claims = _article(editor, 3)
    for claim in claims[:2]:
        _assign(claim, editor=editor, reviewer=reviewer)

    client.force_login(editor)
    response = client.get(URL)
    loads = [(load.reviewer, load.open_load, load.cap, load.full) for load in response.context["loads"]]
    assert loads == [(reviewer, 2, 2, True), (other_reviewer, 0, 10, False)]
    assert f'href="/claims/?reviewer={reviewer.pk}">Rita Reviewer</a>' in response.text
    assert "<title>Rita Reviewer: 2 (cap 2)</title>" in response.text


def test_median_time_from_assignment_to_publication_over_90_days(client, editor, editor2, reviewer):
    _, claims = _article(editor, 4)
    rulings = [_publish(claim, editor=editor, editor2=editor2, reviewer=reviewer) for claim in claims]
    _backdate(rulings[0], published_days_ago=1, took_days=1)
    _backdate(rulings[1], published_days_ago=10, took_days=3)
    _backdate(rulings[2], published_days_ago=80, took_days=10)
    _backdate(rulings[3], published_days_ago=120, took_days=100)  # outside the window

    assert stats.median_time_to_publication() == (datetime.timedelta(days=3), 3)
    client.force_login(editor)
    response = client.get(URL)
    assert response.context["median"] == "3.0 days"
    assert "(last 90 days, 3 claims)" in response.text

    _backdate(rulings[3], published_days_ago=2, took_days=5)  # now inside: the mean of the middle two
    assert stats.median_time_to_publication() == (datetime.timedelta(days=4), 4)


def test_the_median_is_empty_without_publications(client, editor):
    assert stats.median_time_to_publication() == (None, 0)
    client.force_login(editor)
    assert client.get(URL).context["median"] is None


def test_throughput_per_iso_week_for_twelve_weeks(client, editor, editor2, reviewer):
    _, claims = _article(editor, 4)
    rulings = [_publish(claim, editor=editor, editor2=editor2, reviewer=reviewer) for claim in claims]
    today = timezone.localdate()
    days_into_week = today.weekday()
    _backdate(rulings[2], published_days_ago=days_into_week + 10, took_days=1)  # the week before last
    _backdate(rulings[3], published_days_ago=7 * 20, took_days=1)  # long ago

    client.force_login(editor)
    response = client.get(URL)
    published = response.context["published"]
    assert len(published) == 12
    assert published[-1] == (today - datetime.timedelta(days=days_into_week), 2)
    assert published[-3][1] == 1
    assert sum(n for _, n in published) == 3
    assert response.context["published_total"] == 3


def test_verdicts_per_week_in_each_ratings_colour(client, editor, editor2, reviewer):
    _, claims = _article(editor, 3)
    _publish(claims[0], editor=editor, editor2=editor2, reviewer=reviewer, rating="false")
    _publish(claims[1], editor=editor, editor2=editor2, reviewer=reviewer, rating="false")
    _publish(claims[2], editor=editor, editor2=editor2, reviewer=reviewer, rating="unproven")

    client.force_login(editor)
    response = client.get(URL)
    series = {s.name: (s.colour, s.values[-1], sum(s.values)) for s in response.context["verdicts"]}
    assert series == {"False": ("#b91c1c", 2, 2), "Unproven": ("#4b5563", 1, 1)}
    assert 'fill="#b91c1c"' in response.text and 'fill="#4b5563"' in response.text
    assert "False: 2</title>" in response.text
    assert 'style="--swatch: #b91c1c"' in response.text


def test_a_corrected_verdict_counts_in_its_week_and_so_does_the_correction(client, editor, editor2, reviewer):
    _, claims = _article(editor, 1)
    ruling = _publish(claims[0], editor=editor, editor2=editor2, reviewer=reviewer, rating="false")
    services.ruling_correct(
        ruling=ruling,
        actor=editor,
        rating=Rating.objects.get(slug="half-true"),
        summary="Partly",
        explanation="Revised.",
        correction_note="New data.",
    )
    weeks = stats.week_starts()
    assert {s.name: s.values[-1] for s in stats.verdicts_per_week(weeks)} == {"Half true": 1, "False": 1}
    assert stats.published_per_week(weeks)[-1] == 1  # one claim published


# --- Safety ------------------------------------------------------------------------------------


def test_names_from_the_database_are_escaped(client, editor, editor2, reviewer):
    reviewer.first_name = "<script>alert('name')</script>"
    reviewer.save()
    Rating.objects.filter(slug="false").update(name="<script>alert('rating')</script>", colour="red;x:1")
    _, claims = _article(editor, 1)
    _publish(claims[0], editor=editor, editor2=editor2, reviewer=reviewer, rating="false", summary="<script>x</script>")
    client.force_login(editor)
    response = client.get(URL)
    assert "<script>alert" not in response.text
    assert escape("<script>alert('rating')</script>") in response.text
    assert escape("<script>alert('name')") in response.text
    assert "red;x:1" not in response.text


# --- Query budget: aggregated in the database --------------------------------------------------


def _bulk(editor, reviewer, n: int) -> None:
    """``n`` claims in every state, with assignment and publish events and published rulings,
    written in bulk (the services would take minutes for thousands)."""
    article = Article.objects.create(title="Bulk", body="x" * (n * len(S.values) + 10), submitted_by=editor)
    now = timezone.now()
    claims = Claim.objects.bulk_create(
        Claim(
            article=article,
            start=i,
            end=i + 1,
            text="x",
            status=status,
            assignee=reviewer if status in (S.ASSIGNED, S.IN_REVIEW) else None,
            due_date=now.date() - datetime.timedelta(days=i % 3),
        )
        for i, status in enumerate(s for _ in range(n) for s in S.values)
    )
    published = [c for c in claims if c.status in (S.PUBLISHED, S.CORRECTED)]
    ratings = list(Rating.objects.all())
    events = []
    for i, claim in enumerate(published):
        at = now - datetime.timedelta(days=i % 80, hours=i % 24)
        events.append(Event(article=article, claim=claim, action="claim.assign", created_at=at))
        events.append(Event(article=article, claim=claim, action="claim.publish", created_at=at))
    Event.objects.bulk_create(events)
    # auto_now_add overrides created_at on insert: set the times afterwards, in one statement each.
    for i, claim in enumerate(published):
        if i < 3:  # a few are enough to vary the durations; the rest keep the insert time
            Event.objects.filter(claim=claim, action="claim.assign").update(
                created_at=now - datetime.timedelta(days=i + 1)
            )
    Ruling.objects.bulk_create(
        Ruling(
            claim=claim,
            rating=ratings[i % len(ratings)],
            summary="s",
            explanation="e",
            reviewer=reviewer,
            status=Ruling.Status.PUBLISHED,
            published_at=now - datetime.timedelta(days=i % 80),
        )
        for i, claim in enumerate(published)
    )


def test_the_query_count_does_not_grow_with_claims(client, editor, reviewer, other_reviewer, django_assert_num_queries):
    _bulk(editor, reviewer, 1)
    client.force_login(editor)
    client.get(URL)  # warm the session
    with django_assert_num_queries(DASHBOARD_QUERIES):
        few = client.get(URL)

    _bulk(editor, reviewer, 200)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        many = client.get(URL)
    assert few.context["counts"].total == len(S.values)
    assert many.context["counts"].total == 201 * len(S.values)
    assert sum(n for _, n in many.context["published"]) > 0


# --- Helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("top", "ticks"),
    [(0, [0, 1]), (1, [0, 1]), (4, [0, 1, 2, 3, 4]), (7, [0, 2, 4, 6, 8]), (23, [0, 5, 10, 15, 20, 25])],
)
def test_axis_ticks_are_round_numbers(top, ticks):
    assert nice_ticks(top) == ticks


def test_durations_read_as_people_say_them():
    assert duration_text(datetime.timedelta(hours=5, minutes=20)) == "5 h 20 min"
    assert duration_text(datetime.timedelta(days=3, hours=12)) == "3.5 days"
