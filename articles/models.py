from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Article(models.Model):
    class ExtractionStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=300)
    body = models.TextField()
    source_url = models.URLField(max_length=2000, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en")
    # The language the extractor recognised in the body ("und" when unsure); the check-worthiness
    # model is trained on English, so the UI flags articles in other languages.
    detected_language = models.CharField(max_length=16, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extraction_status = models.CharField(
        max_length=16, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING
    )
    extraction_error = models.TextField(blank=True)
    # When the current extraction was enqueued or started: the sweep re-enqueues stale ones.
    extraction_requested_at = models.DateTimeField(null=True, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency, as on claims: every edit bumps it; an edit naming an older one is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The article list, newest first.
            models.Index(fields=["-created_at", "-id"], name="article_recent"),
            # The sweep: pending/running articles older than a cut-off.
            models.Index(fields=["extraction_status", "extraction_requested_at"], name="article_extraction"),
        ]

    def __str__(self) -> str:
        return self.title


class Claim(models.Model):
    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        MERGED = "merged", "Merged"
        ASSIGNED = "assigned", "Assigned"
        IN_REVIEW = "in_review", "In review"
        SUBMITTED = "submitted", "Ruling submitted"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        CORRECTED = "corrected", "Corrected"

    class ClaimType(models.TextChoices):
        # Full Fact's taxonomy (Konstantinovskiy et al. 2021).
        QUANTITY = "quantity", "Quantity"
        PREDICTION = "prediction", "Prediction"
        CAUSATION = "causation", "Correlation or causation"
        LAW_OR_RULE = "law_or_rule", "Law or rule"
        PERSONAL_EXPERIENCE = "personal_experience", "Personal experience"
        OTHER = "other", "Other claim"
        NOT_A_CLAIM = "not_a_claim", "Not a claim"

    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        NORMAL = 2, "Normal"
        HIGH = 3, "High"
        URGENT = 4, "Urgent"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    checkworthiness = models.FloatField(default=0.0)
    checkworthy = models.BooleanField(default=False)
    claim_type = models.CharField(max_length=32, choices=ClaimType.choices, default=ClaimType.OTHER)
    speaker = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CANDIDATE)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    due_date = models.DateField(null=True, blank=True)
    # The reviewer of the active assignment, kept in step by the assignment service so that
    # the queue filters by reviewer without a join through the assignment history.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_claims"
    )
    # The claim's text is no longer in the (edited) article body. Claims with editorial work are
    # kept and flagged rather than deleted; their offsets refer to the body as it was.
    stale = models.BooleanField(default=False)
    # A duplicate merged into another claim keeps its row (and history) and points here.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_claims"
    )
    # Optimistic concurrency: every write bumps it; a save that names an older one is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article_id", "start"]
        constraints = [
            # One live claim per span; stale claims keep the offsets of an older body.
            models.UniqueConstraint(
                fields=["article", "start", "end"], condition=Q(stale=False), name="claim_unique_span"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="claim_span_not_empty"),
            models.CheckConstraint(
                condition=Q(checkworthiness__gte=0) & Q(checkworthiness__lte=1), name="claim_score_0_1"
            ),
        ]
        indexes = [
            # The queue filtered by status, most check-worthy first.
            models.Index(fields=["status", "-checkworthiness"], name="claim_status_score"),
            # A reviewer's own queue, and open workload per reviewer.
            models.Index(fields=["assignee", "status"], name="claim_assignee_status"),
            # Overdue claims and due-date reminders.
            models.Index(fields=["due_date", "status"], name="claim_due"),
            # The board's per-column window (first cards of each state in the default order) and the
            # queue filtered by status in that order.
            models.Index(
                fields=["status", "-priority", "-checkworthiness", "article", "start"], name="claim_status_priority"
            ),
            # The unfiltered queue in its default order.
            models.Index(fields=["-priority", "-checkworthiness", "article", "start"], name="claim_priority"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ArticleIdempotencyKey(models.Model):
    """An ``Idempotency-Key`` sent with an article submission, and the response it got, so that a
    client's retry of the same request gets the same answer instead of a second article.

    The row is inserted before the article is created, in the same transaction: of two requests
    with one key, the second waits on the unique constraint until the first commits, then
    replays its response (see articles.services.article_create_idempotent)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # sha256 of the request body: the same key with another body is a client bug, refused.
    fingerprint = models.CharField(max_length=64)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]
        indexes = [
            # Deleting expired keys on each keyed submission.
            models.Index(fields=["created_at"], name="idempotency_key_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
