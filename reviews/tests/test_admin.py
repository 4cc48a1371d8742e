"""The admin console for the review workflow: access, read-only history, ruling actions
through the services, published rulings locked, comments, notifications, reviewer profiles,
the editable rating scale, query budgets."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Claim
from factcheck.roles import REVIEWERS
from reviews import services
from reviews.models import Assignment, Event, Notification, Rating, ReviewerProfile, Ruling, Source

pytestmark = pytest.mark.django_db

NON_ADMINS = ["editor", "reviewer", "outsider"]


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def _submit(claim: Claim, *, editor, reviewer, sources: int = 1) -> Ruling:
    """Take a candidate claim to a submitted ruling, through the services."""
    services.claim_accept(claim=claim, actor=editor)
    services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    for i in range(sources):
        services.source_add(
            claim=claim, actor=reviewer, title=f"Industry report {i}", url="https://example.org/report", kind="dataset"
        )
    services.comment_add(claim=claim, actor=editor, body=f"@{reviewer.username} which year is the base?")
    return services.ruling_submit(
        claim=claim,
        actor=reviewer,
        rating=Rating.objects.get(slug="true"),
        summary="Türkiye has a large defence industry.",
        explanation="Its exports and output put it among the larger NATO producers.",
    )


@pytest.fixture
def ruling(article, editor, reviewer) -> Ruling:
    claim = article.claims.get(text__startswith="Referring to Türkiye")
    ReviewerProfile.objects.create(user=reviewer, max_open=5)
    return _submit(claim, editor=editor, reviewer=reviewer)


def _urls(ruling: Ruling) -> dict[str, int]:
    """Every review page in the admin, with the status an admin gets."""
    urls = {}
    for name, obj in (
        ("rating", ruling.rating),
        ("ruling", ruling),
        ("source", ruling.claim.sources.first()),
        ("assignment", ruling.claim.assignments.first()),
        ("event", Event.objects.filter(claim=ruling.claim).first()),
        ("comment", ruling.claim.comments.first()),
        ("notification", Notification.objects.first()),
        ("reviewerprofile", ReviewerProfile.objects.first()),
    ):
        urls[reverse(f"admin:reviews_{name}_changelist")] = 200
        urls[reverse(f"admin:reviews_{name}_change", args=[obj.pk])] = 200
        # Only the rating scale and profiles are added here; the rest is created by the workflow.
        urls[reverse(f"admin:reviews_{name}_add")] = 200 if name in ("rating", "reviewerprofile") else 403
    return urls


# --- Access -----------------------------------------------------------------------------------


def test_admin_gets_every_review_page(admin_client_, ruling):
    for url, status in _urls(ruling).items():
        assert admin_client_.get(url).status_code == status, url


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_non_admins_are_sent_to_the_admin_login(client, ruling, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in _urls(ruling):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_anonymous_is_sent_to_the_admin_login(client, ruling):
    for url in _urls(ruling):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_the_claim_page_shows_its_sources_assignments_rulings_and_history(admin_client_, ruling):
    response = admin_client_.get(reverse("admin:articles_claim_change", args=[ruling.claim_id]))
    content = response.content.decode()
    assert "Industry report 0" in content
    assert "Türkiye has a large defence industry." in content
    assert "claim.submit" in content
    assert f"?claim={ruling.claim_id}" in content  # the link to the filtered event list


# --- Events and assignments are read-only -----------------------------------------------------


def test_events_cannot_be_added_changed_or_deleted(admin_client_, ruling):
    event = Event.objects.filter(claim=ruling.claim).first()
    change = reverse("admin:reviews_event_change", args=[event.pk])

    page = admin_client_.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client_.post(change, {"action": "claim.publish", "note": "forged"}).status_code == 403
    assert admin_client_.get(reverse("admin:reviews_event_delete", args=[event.pk])).status_code == 403
    response = admin_client_.post(
        reverse("admin:reviews_event_changelist"), {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert Event.objects.filter(pk=event.pk, action=event.action, note=event.note).exists()
    assert response.status_code in (200, 302)


def test_assignments_are_read_only(admin_client_, ruling):
    assignment = ruling.claim.assignments.get()
    change = reverse("admin:reviews_assignment_change", args=[assignment.pk])
    assert admin_client_.post(change, {"active": ""}).status_code == 403
    assert admin_client_.get(reverse("admin:reviews_assignment_delete", args=[assignment.pk])).status_code == 403
    assignment.refresh_from_db()
    assert assignment.active


def test_events_filter_by_action_claim_and_article(admin_client_, ruling, article):
    changelist = reverse("admin:reviews_event_changelist")
    other_claim = article.claims.exclude(pk=ruling.claim_id).first()

    by_claim = admin_client_.get(changelist, {"claim": ruling.claim_id}).context["cl"]
    assert by_claim.result_count == Event.objects.filter(claim=ruling.claim).count() == 5
    by_action = admin_client_.get(changelist, {"action": "claim.accept"}).context["cl"]
    assert by_action.result_count == 1
    by_article = admin_client_.get(changelist, {"article": article.pk}).context["cl"]
    assert by_article.result_count == Event.objects.filter(article=article).count()
    assert admin_client_.get(changelist, {"claim": other_claim.pk}).context["cl"].result_count == 0


# --- Rulings: status through the actions only -------------------------------------------------


def _ruling_action(client, action: str, rulings):
    return client.post(
        reverse("admin:reviews_ruling_changelist"), {"action": action, "_selected_action": [r.pk for r in rulings]}
    )


def test_approve_and_publish_actions_call_the_services(admin_client_, admin_user, ruling):
    response = _ruling_action(admin_client_, "approve", [ruling])
    assert "1 ruling approved." in [str(m) for m in get_messages(response.wsgi_request)]
    ruling.refresh_from_db()
    assert (ruling.status, ruling.approved_by) == (Ruling.Status.APPROVED, admin_user)

    _ruling_action(admin_client_, "publish", [ruling])
    ruling.refresh_from_db()
    assert ruling.status == Ruling.Status.PUBLISHED
    assert ruling.claim.status == Claim.Status.PUBLISHED
    actions = list(Event.objects.filter(claim=ruling.claim, actor=admin_user).values_list("action", flat=True))
    assert actions == ["claim.approve", "claim.publish"]


def test_a_refused_ruling_action_is_reported_not_raised(admin_client_, ruling):
    response = _ruling_action(admin_client_, "publish", [ruling])  # not approved yet
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [f"Ruling #{ruling.pk}: Cannot publish a claim that is ruling submitted."]
    ruling.refresh_from_db()
    assert ruling.status == Ruling.Status.SUBMITTED


def test_the_reviewer_cannot_approve_their_own_ruling_even_as_admin(client, django_user_model, article, editor):
    # A reviewer who is also a superuser: four eyes still apply, reported as a message.
    boss = django_user_model.objects.create_superuser(username="boss", password="x")
    boss.groups.add(Group.objects.get(name=REVIEWERS))
    ruling = _submit(article.claims.first(), editor=editor, reviewer=boss)
    client.force_login(boss)

    response = _ruling_action(client, "approve", [ruling])

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        f"Ruling #{ruling.pk}: A ruling must be approved by someone other than the reviewer who wrote it."
    ]
    ruling.refresh_from_db()
    assert ruling.status == Ruling.Status.SUBMITTED


def test_ruling_status_cannot_be_edited_but_wording_can(admin_client_, ruling):
    response = admin_client_.post(
        reverse("admin:reviews_ruling_change", args=[ruling.pk]),
        {"status": "published", "summary": "Türkiye has a very large defence industry.", "explanation": "Better."},
    )
    assert response.status_code == 302
    ruling.refresh_from_db()
    assert ruling.status == Ruling.Status.SUBMITTED
    assert ruling.published_at is None
    assert ruling.summary == "Türkiye has a very large defence industry."


def test_editing_the_wording_bumps_the_version_and_is_recorded(admin_client_, admin_user, ruling):
    admin_client_.post(
        reverse("admin:reviews_ruling_change", args=[ruling.pk]),
        {"summary": "Türkiye has a large defence industry.", "explanation": "Clearer."},
    )
    ruling.refresh_from_db()
    assert (ruling.explanation, ruling.version) == ("Clearer.", 2)
    event = Event.objects.filter(claim=ruling.claim).last()
    assert (event.action, event.actor, event.note) == ("ruling.edited", admin_user, "In the admin console: explanation")


def _publish(ruling, editor2) -> Ruling:
    services.ruling_approve(ruling=ruling, actor=editor2)
    return services.ruling_publish(ruling=ruling, actor=editor2)


def _correct(ruling, editor) -> Ruling:
    return services.ruling_correct(
        ruling=ruling,
        actor=editor,
        rating=Rating.objects.get(slug="mostly-true"),
        summary="Türkiye has a sizeable defence industry.",
        explanation="Revised export figures.",
        correction_note="Exports were revised down.",
    )


@pytest.mark.parametrize("which", ["published", "superseded"])
def test_published_and_superseded_rulings_are_read_only(admin_client_, ruling, editor, editor2, which):
    published = _publish(ruling, editor2)
    if which == "superseded":
        _correct(published, editor)
    published.refresh_from_db()
    assert published.status == which
    change = reverse("admin:reviews_ruling_change", args=[published.pk])

    page = admin_client_.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert 'name="summary"' not in page.content.decode()
    response = admin_client_.post(change, {"summary": "Rewritten after publication.", "explanation": "Quietly."})

    assert response.status_code == 403
    assert Ruling.objects.get(pk=published.pk).summary == "Türkiye has a large defence industry."


# --- Comments, notifications, reviewer profiles ------------------------------------------------


def test_comments_wording_may_be_corrected_but_nothing_else(admin_client_, ruling, editor):
    comment = ruling.claim.comments.get()
    change = reverse("admin:reviews_comment_change", args=[comment.pk])
    response = admin_client_.post(change, {"body": "Which year is the base?", "author": "", "claim": ""})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.author, comment.claim) == ("Which year is the base?", editor, ruling.claim)
    assert admin_client_.get(reverse("admin:reviews_comment_delete", args=[comment.pk])).status_code == 403


def test_notifications_are_read_only(admin_client_, ruling):
    notification = Notification.objects.first()
    change = reverse("admin:reviews_notification_change", args=[notification.pk])
    assert admin_client_.post(change, {"subject": "forged"}).status_code == 403
    assert admin_client_.get(reverse("admin:reviews_notification_delete", args=[notification.pk])).status_code == 403
    notification.refresh_from_db()
    assert notification.subject != "forged"


def test_notifications_filter_by_kind_and_sent(admin_client_, ruling):
    changelist = reverse("admin:reviews_notification_changelist")
    assigned = Notification.objects.get(kind=Notification.Kind.ASSIGNED)
    services.notification_send(notification_id=assigned.pk)
    Notification.objects.filter(kind=Notification.Kind.MENTION).update(attempts=1, error="OSError: down")

    def shown(**query) -> list[str]:
        return [n.kind for n in admin_client_.get(changelist, query).context["cl"].result_list]

    assert shown(kind__exact="assigned") == ["assigned"]
    assert shown(sent="yes") == ["assigned"]
    assert shown(sent="no") == ["mention"]
    assert shown(sent="failed") == ["mention"]


def test_admins_set_availability_and_caps_in_the_list(admin_client_, ruling, reviewer):
    profile = ReviewerProfile.objects.get(user=reviewer)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": profile.pk,
        "form-0-max_open": "3",
        "_save": "Save",
    }
    response = admin_client_.post(reverse("admin:reviews_reviewerprofile_changelist"), data)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.available, profile.max_open) == (False, 3)


def test_the_profile_list_shows_each_reviewers_open_load(admin_client_, ruling):
    cl = admin_client_.get(reverse("admin:reviews_reviewerprofile_changelist")).context["cl"]
    assert [(p.user.username, p.open_load) for p in cl.result_list] == [("rita", 1)]


def test_profiles_are_added_for_reviewers_only(admin_client_, ruling, other_reviewer, editor):
    form = admin_client_.get(reverse("admin:reviews_reviewerprofile_add")).context["adminform"].form
    assert list(form.fields["user"].queryset) == [other_reviewer]  # rita has one already; erin is no reviewer
    response = admin_client_.post(
        reverse("admin:reviews_reviewerprofile_add"), {"user": other_reviewer.pk, "available": "on"}
    )
    assert response.status_code == 302
    assert ReviewerProfile.objects.get(user=other_reviewer).max_open is None


def test_the_user_page_shows_the_reviewer_profile(admin_client_, ruling, reviewer):
    content = admin_client_.get(reverse("admin:auth_user_change", args=[reviewer.pk])).content.decode()
    assert 'name="reviewer_profile-0-max_open"' in content
    assert "reviewer_profile" not in admin_client_.get(reverse("admin:auth_user_add")).content.decode()


# --- The rating scale -------------------------------------------------------------------------


def _scale_formset(ratings, **changes) -> dict:
    data = {
        "form-TOTAL_FORMS": str(len(ratings)),
        "form-INITIAL_FORMS": str(len(ratings)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for i, rating in enumerate(ratings):
        row = {"id": rating.pk, "order": rating.order, "colour": rating.colour, "active": "on" if rating.active else ""}
        row.update(changes.get(rating.slug, {}))
        data.update({f"form-{i}-{key}": value for key, value in row.items() if value != ""})
    return data


def test_admins_edit_order_colour_and_active_in_the_list(admin_client_):
    ratings = list(Rating.objects.order_by("order", "id"))
    data = _scale_formset(ratings, misleading={"order": 0, "colour": "#123ABC"}, unproven={"active": ""})

    response = admin_client_.post(reverse("admin:reviews_rating_changelist"), data)

    assert response.status_code == 302
    misleading = Rating.objects.get(slug="misleading")
    assert (misleading.order, misleading.colour) == (0, "#123abc")
    assert not Rating.objects.get(slug="unproven").active


def test_a_bad_colour_is_refused(admin_client_):
    ratings = list(Rating.objects.order_by("order", "id"))
    response = admin_client_.post(
        reverse("admin:reviews_rating_changelist"), _scale_formset(ratings, true={"colour": "red"})
    )
    assert response.status_code == 200
    assert "Enter a hex colour" in response.content.decode()
    assert Rating.objects.get(slug="true").colour == "#15803d"


def test_admins_add_a_rating(admin_client_):
    response = admin_client_.post(
        reverse("admin:reviews_rating_add"),
        {"name": "Satire", "slug": "satire", "order": "9", "colour": "#0EA5E9", "description": "", "active": "on"},
    )
    assert response.status_code == 302
    assert Rating.objects.get(slug="satire").colour == "#0ea5e9"


# --- Query budgets ----------------------------------------------------------------------------


def _rulings(article, editor, reviewer, count: int) -> None:
    for claim in article.claims.filter(status=Claim.Status.CANDIDATE).order_by("start")[:count]:
        _submit(claim, editor=editor, reviewer=reviewer, sources=2)


# Session, user, the roles context processor, counts, date and filter queries, the page;
# nothing per row.
CHANGELIST_BUDGETS = [
    ("admin:reviews_rating_changelist", 6),
    ("admin:reviews_ruling_changelist", 9),
    ("admin:reviews_source_changelist", 8),
    ("admin:reviews_assignment_changelist", 9),
    ("admin:reviews_event_changelist", 9),
    ("admin:reviews_comment_changelist", 8),
    ("admin:reviews_notification_changelist", 8),
    ("admin:reviews_reviewerprofile_changelist", 6),
]


@pytest.mark.parametrize(("url_name", "budget"), CHANGELIST_BUDGETS)
def test_changelist_query_count_is_pinned(
    admin_client_, article, editor, reviewer, django_user_model, django_assert_num_queries, url_name, budget
):
    _rulings(article, editor, reviewer, 1)
    ReviewerProfile.objects.create(user=reviewer)
    with django_assert_num_queries(budget):
        assert admin_client_.get(reverse(url_name)).status_code == 200

    _rulings(article, editor, reviewer, 15)  # 16 rulings, 32 sources, 100+ events, 32 notifications
    Rating.objects.bulk_create(Rating(name=f"Scale {i}", slug=f"scale-{i}", order=10 + i) for i in range(20))
    for i in range(20):
        user = django_user_model.objects.create_user(username=f"reviewer{i}")
        user.groups.add(Group.objects.get(name=REVIEWERS))
        ReviewerProfile.objects.create(user=user, max_open=i or None)
    with django_assert_num_queries(budget):
        assert admin_client_.get(reverse(url_name)).status_code == 200


def test_claim_page_query_count_does_not_grow_with_history(
    admin_client_, article, editor, reviewer, other_reviewer, django_assert_num_queries
):
    claim = article.claims.first()
    ruling = _submit(claim, editor=editor, reviewer=reviewer, sources=1)
    url = reverse("admin:articles_claim_change", args=[claim.pk])
    budget = 9  # session, user, roles, the claim, and one per inline (sources ... comments, events)
    with django_assert_num_queries(budget):
        assert admin_client_.get(url).status_code == 200

    for i in range(5):
        services.source_add(claim=claim, actor=reviewer, title=f"More {i}", url="https://example.org/more")
    services.ruling_return(ruling=ruling, actor=editor, note="Needs a primary source.")
    services.claim_assign(claim=claim, reviewer=other_reviewer, actor=editor)
    assert (Source.objects.count(), Assignment.objects.count()) == (6, 2)
    with django_assert_num_queries(budget):
        assert admin_client_.get(url).status_code == 200
