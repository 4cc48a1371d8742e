from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.models import Article, Claim


class Assignment(models.Model):
    """A claim handed to a reviewer. Reassigning closes the old row, so the history stays."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="assignments_made"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["claim"], condition=Q(active=True), name="one_active_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} -> {self.reviewer}"


class Source(models.Model):
    class Kind(models.TextChoices):
        PRIMARY_DOCUMENT = "primary_document", "Primary document"
        OFFICIAL_STATISTICS = "official_statistics", "Official statistics"
        DATASET = "dataset", "Dataset"
        EXPERT = "expert", "Expert"
        NEWS_REPORT = "news_report", "News report"
        OTHER = "other", "Other"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.PRIMARY_DOCUMENT)
    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    excerpt = models.TextField(blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    """One step of the desk's rating scale; admins edit the scale in the admin console."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    # ClaimReview ratingValue; empty for ratings off the numeric scale (Misleading, Unproven).
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    colour = models.CharField(max_length=7, default="#6b7280", help_text="Hex colour, e.g. #15803d")
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Ruling(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded by a correction"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="rulings")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="rulings")
    summary = models.CharField(
        max_length=200,
        help_text="The claim as checked, in a short sentence (ClaimReview claimReviewed; under 75 characters is best).",
    )
    explanation = models.TextField()
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rulings")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    return_note = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="rulings_approved"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # A correction is a new ruling that supersedes the published one, which stays visible.
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_note = models.TextField(blank=True, help_text="What was corrected and why, shown publicly.")
    # Optimistic concurrency: every write bumps it; a save that names an older one is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Returned and superseded rulings stay as history; at most one ruling per claim is live.
            models.UniqueConstraint(
                fields=["claim"], condition=~Q(status__in=["returned", "superseded"]), name="one_live_ruling"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("reviewer")),
                name="ruling_four_eyes",
            ),
        ]
        indexes = [
            # Public feed of published rulings, newest first.
            models.Index(fields=["status", "-published_at"], name="ruling_published"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}: {self.summary}"


class Event(models.Model):
    """The audit trail: one row per change of state, written in the same transaction."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # empty for the system (the extraction worker)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # A claim's history on its page.
            models.Index(fields=["claim", "created_at"], name="event_claim"),
            # An article's history.
            models.Index(fields=["article", "created_at"], name="event_article"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}->{self.to_state}"


class ReviewerProfile(models.Model):
    """A reviewer's availability and workload cap, used by auto-assignment."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    available = models.BooleanField(default=True)
    max_open = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most open claims at once; empty: the desk's default (REVIEWER_MAX_OPEN)."
    )

    def __str__(self) -> str:
        return f"{self.user} ({'available' if self.available else 'away'})"


class Comment(models.Model):
    """The desk's internal discussion of a claim; @username mentions are notified."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The comments on a claim's page, oldest first.
            models.Index(fields=["claim", "created_at"], name="comment_claim"),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class Notification(models.Model):
    """An e-mail to send, written with the event that causes it and sent after commit.

    ``key`` names the occasion (an event id, or a claim and its due date for reminders); the
    unique constraint makes each occasion notify each person at most once."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned to you"
        RETURNED = "returned", "Ruling returned"
        APPROVED = "approved", "Ruling approved"
        DUE_SOON = "due_soon", "Due soon"
        MENTION = "mention", "Mentioned in a comment"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=64)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="notify_once"),
        ]
        indexes = [
            # The sweep for notifications the broker lost.
            models.Index(fields=["sent_at", "created_at"], name="notification_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.recipient}"


class KnownFactCheck(models.Model):
    """A fact-check published by another organisation, imported from its ClaimReview markup
    (reviews/known.py reads it; services/known_factchecks.py writes it). Recognised by its
    review URL, normalised, so a re-import updates the row instead of adding a second one."""

    class Source(models.TextChoices):
        FILE = "file", "File"
        URL = "url", "URL"
        API = "api", "API"

    # Normalised (see reviews.known.normalize_url): the identity of a fact-check.
    review_url = models.URLField(max_length=2000, unique=True)
    claim_reviewed = models.TextField()
    rating_name = models.CharField(max_length=300, help_text="reviewRating.alternateName (or name).")
    # Numbers as published; many publishers use their own scale, so no bounds are implied.
    rating_value = models.FloatField(null=True, blank=True)
    rating_best = models.FloatField(null=True, blank=True)
    rating_worst = models.FloatField(null=True, blank=True)
    publisher_name = models.CharField(max_length=300, blank=True)
    publisher_url = models.URLField(max_length=2000, blank=True)
    date_published = models.DateField(null=True, blank=True)
    claimant = models.CharField(max_length=300, blank=True, help_text="itemReviewed.author.name")
    appearance_url = models.URLField(max_length=2000, blank=True)
    language = models.CharField(max_length=35, blank=True)
    raw = models.JSONField(help_text="The ClaimReview as imported.")
    source = models.CharField(max_length=8, choices=Source.choices)
    source_name = models.CharField(max_length=2000, blank=True, help_text="The file or URL it came from.")
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = [models.F("date_published").desc(nulls_last=True), "-id"]
        # No index for this order: SQLite cannot index NULLS LAST, and a library of a few
        # thousand rows sorts in a millisecond. review_url's unique index serves the import.

    def __str__(self) -> str:
        return f"{self.rating_name}: {self.claim_reviewed[:60]}"
