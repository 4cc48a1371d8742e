"""E-mail notifications: one per occasion and person, written with the change, enqueued only
after commit, sent once, retried a bounded number of times; due-date reminders."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from articles import services as article_services
from articles.models import Claim
from reviews import services, tasks
from reviews.models import Notification, Rating
from reviews.services.notifications import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db
S = Claim.Status
Kind = Notification.Kind
BODY = "The minister said exports doubled in 2024."


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise OSError("SMTP server unavailable")


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """The notification ids handed to the broker (the broker itself is not needed here)."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.send_notification, "delay", ids.append)
    return ids


@pytest.fixture
def claim(editor, settings) -> Claim:
    settings.RULING_REQUIRES_SOURCE = False
    article = article_services.article_create(submitted_by=editor, title="Exports", body=BODY, extract=False)
    return Claim.objects.create(article=article, start=0, end=len(BODY), text=BODY)


def _assign(claim, editor, reviewer, **fields) -> Claim:
    return services.claim_assign(claim=claim, reviewer=reviewer, actor=editor, **fields)


def _submit(claim, editor, reviewer):
    _assign(claim, editor, reviewer)
    return services.ruling_submit(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug="false"), summary="No", explanation="Data."
    )


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


# Each occasion: (prepare, act). ``prepare`` runs before the transaction under test; ``act``
# is the change that notifies the reviewer (Rita).
OCCASIONS = {
    Kind.ASSIGNED: (
        lambda c, e, r: c,
        lambda c, e, r, x: _assign(c, e, r),
    ),
    Kind.RETURNED: (
        _submit,
        lambda c, e, r, ruling: services.ruling_return(ruling=ruling, actor=e, note="Cite the customs data."),
    ),
    Kind.APPROVED: (
        _submit,
        lambda c, e, r, ruling: services.ruling_approve(ruling=ruling, actor=e),
    ),
    Kind.MENTION: (
        lambda c, e, r: _assign(c, e, r),
        lambda c, e, r, x: services.comment_add(claim=c, actor=e, body="@rita can you look at the 2023 base?"),
    ),
    Kind.DUE_SOON: (
        lambda c, e, r: _assign(c, e, r, due_date=_tomorrow()),
        lambda c, e, r, x: services.due_reminders_send(),
    ),
}


@pytest.mark.parametrize("kind", OCCASIONS)
def test_each_occasion_notifies_once_and_only_after_commit(
    claim, editor, reviewer, kind, enqueued, django_capture_on_commit_callbacks
):
    prepare, act = OCCASIONS[kind]
    prepared = prepare(claim, editor, reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        act(claim, editor, reviewer, prepared)
        notification = Notification.objects.get(kind=kind)  # written in the change's transaction
        assert enqueued == []  # but not handed to the broker before it commits

    assert notification.recipient == reviewer
    assert enqueued == [notification.pk]
    assert f"claim {claim.pk}" in notification.subject.lower()
    assert f"/claims/{claim.pk}" in notification.body


def test_a_rolled_back_change_notifies_nobody(claim, editor, reviewer, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _assign(claim, editor, reviewer)
        raise RuntimeError("the request failed after the assignment")
    assert not Notification.objects.exists()
    assert enqueued == []


def test_the_same_occasion_is_notified_once(claim, editor, reviewer, django_capture_on_commit_callbacks):
    _assign(claim, editor, reviewer, due_date=_tomorrow())
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.due_reminders_send() == 1
        assert services.due_reminders_send() == 0
    assert len(callbacks) == 1
    assert Notification.objects.filter(kind=Kind.DUE_SOON).count() == 1


def test_nobody_is_notified_of_their_own_action(claim, editor, reviewer, settings):
    settings.REVIEWER_SELF_ASSIGN = True
    services.claim_accept(claim=claim, actor=editor)
    services.claim_self_assign(claim=claim, actor=reviewer)
    services.comment_add(claim=claim, actor=reviewer, body="Taking this one. @rita")
    assert not Notification.objects.exists()


def test_people_without_an_address_are_skipped(claim, editor, reviewer):
    reviewer.email = ""
    reviewer.save()
    _assign(claim, editor, reviewer)
    assert not Notification.objects.exists()


def test_people_whose_account_was_closed_are_skipped(claim, editor, reviewer):
    _assign(claim, editor, reviewer, due_date=_tomorrow())
    reviewer.is_active = False
    reviewer.save()
    assert services.due_reminders_send() == 0
    assert list(Notification.objects.values_list("kind", flat=True)) == [Kind.ASSIGNED]


# --- Sending ------------------------------------------------------------------------------------


@pytest.fixture
def notification(claim, editor, reviewer) -> Notification:
    _assign(claim, editor, reviewer)
    return Notification.objects.get()


def test_the_task_sends_one_email(notification, settings):
    assert tasks.send_notification(notification.pk) is True

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.to, message.from_email) == (
        f"Claim {notification.claim_id} assigned to you",
        ["rita@example.org"],
        settings.DEFAULT_FROM_EMAIL,
    )
    assert "erin assigned you a claim to check" in message.body
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 0


def test_a_second_send_of_the_same_notification_sends_nothing(notification):
    tasks.send_notification(notification.pk)
    assert tasks.send_notification(notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_deleted_notification_is_skipped(notification):
    Notification.objects.all().delete()
    assert tasks.send_notification(notification.pk) is False
    assert mail.outbox == []


def test_a_mail_failure_releases_the_notification_for_a_retry(notification, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"

    with pytest.raises(OSError, match="SMTP server unavailable"):
        tasks.send_notification(notification.pk)

    notification.refresh_from_db()
    assert (notification.sent_at, notification.attempts) == (None, 1)
    assert notification.error == "OSError: SMTP server unavailable"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.send_notification(notification.pk) is True
    assert len(mail.outbox) == 1


def test_sending_stops_after_the_maximum_number_of_attempts(notification, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(OSError):
            services.notification_send(notification_id=notification.pk)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notification_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert (notification.sent_at, notification.attempts) == (None, MAX_ATTEMPTS)
    assert mail.outbox == []


def test_the_sweep_re_enqueues_what_the_broker_lost(claim, editor, reviewer, other_reviewer, enqueued):
    _assign(claim, editor, reviewer)
    services.claim_assign(claim=claim, reviewer=other_reviewer, actor=editor)
    lost, sent = Notification.objects.order_by("pk")
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    services.notification_send(notification_id=sent.pk)
    _assign(claim, editor, reviewer)  # a fresh one: its own task is probably still on its way

    assert tasks.sweep_unsent_notifications() == 1
    assert enqueued == [lost.pk]


def test_the_sweep_gives_up_on_exhausted_notifications(notification, enqueued):
    Notification.objects.update(
        created_at=timezone.now() - datetime.timedelta(minutes=10), attempts=MAX_ATTEMPTS, error="OSError: down"
    )
    assert tasks.sweep_unsent_notifications() == 0
    assert enqueued == []


# --- Due-date reminders -------------------------------------------------------------------------


def test_running_the_reminder_task_twice_sends_one_reminder(
    claim, editor, reviewer, enqueued, django_capture_on_commit_callbacks
):
    _assign(claim, editor, reviewer, due_date=_tomorrow())
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders() == 0

    assert len(enqueued) == 1
    for notification_id in enqueued:
        tasks.send_notification(notification_id)
    assert [m.subject for m in mail.outbox] == [f"Due soon: claim {claim.pk} (due {_tomorrow():%d %b %Y})"]


def test_overdue_claims_get_an_overdue_reminder(claim, editor, reviewer):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _assign(claim, editor, reviewer, due_date=yesterday)
    services.due_reminders_send()
    assert Notification.objects.get(kind=Kind.DUE_SOON).subject == (
        f"Overdue: claim {claim.pk} (due {yesterday:%d %b %Y})"
    )


def test_a_claim_due_today_is_due_soon_not_overdue(claim, editor, reviewer):
    _assign(claim, editor, reviewer, due_date=timezone.localdate())
    services.due_reminders_send()
    assert Notification.objects.get(kind=Kind.DUE_SOON).subject.startswith("Due soon: ")


def test_reminders_wait_until_the_claim_is_within_the_reminder_window(claim, editor, reviewer, settings):
    _assign(claim, editor, reviewer, due_date=timezone.localdate() + datetime.timedelta(days=3))
    assert services.due_reminders_send() == 0
    settings.DUE_REMINDER_HOURS = 96
    assert services.due_reminders_send() == 1


@pytest.mark.parametrize("status", [S.APPROVED, S.PUBLISHED, S.CORRECTED, S.REJECTED, S.MERGED, S.ACCEPTED])
def test_closed_or_unassigned_claims_get_no_reminder(claim, editor, reviewer, status):
    Claim.objects.filter(pk=claim.pk).update(
        status=status, due_date=timezone.localdate(), assignee=None if status == S.ACCEPTED else reviewer
    )
    assert services.due_reminders_send() == 0
    assert not Notification.objects.exists()


def test_a_new_due_date_or_a_new_assignee_is_reminded_again(claim, editor, reviewer, other_reviewer):
    _assign(claim, editor, reviewer, due_date=_tomorrow())
    services.due_reminders_send()
    services.claim_update(claim=claim, actor=editor, due_date=timezone.localdate())
    services.due_reminders_send()
    services.claim_assign(claim=claim, reviewer=other_reviewer, actor=editor)
    services.due_reminders_send()
    reminders = Notification.objects.filter(kind=Kind.DUE_SOON).order_by("pk")
    assert [(n.recipient.username, n.key) for n in reminders] == [
        ("rita", f"due:{claim.pk}:{_tomorrow().isoformat()}"),
        ("rita", f"due:{claim.pk}:{timezone.localdate().isoformat()}"),
        ("otto", f"due:{claim.pk}:{timezone.localdate().isoformat()}"),
    ]


def test_the_beat_schedule_runs_the_reminders_and_the_sweep(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reviews.tasks.send_due_reminders", "reviews.tasks.sweep_unsent_notifications"} <= tasks_scheduled
