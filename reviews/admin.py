"""The review workflow in the admin console.

Assignments, events and notifications are history: read-only. Sources, rulings and comments
are created by the workflow (the web UI and the API), so the admin only corrects their
wording; a ruling's status changes through the approve/publish actions, which call the
services, and a published ruling only through the correction flow. The rating scale and the
reviewers' availability and workload caps are the admins' own to edit.
"""

import json
import re

from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from factcheck import roles
from factcheck.admin import ArticleFilter, ClaimFilter, ReadOnlyAdminMixin, run_service_action

from . import services
from .events import record_event
from .models import (
    Assignment,
    Comment,
    Event,
    KnownFactCheck,
    Notification,
    Rating,
    ReviewerProfile,
    Ruling,
    Source,
)
from .workflow import OPEN_STATES

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


# --- Inlines on the claim page ----------------------------------------------------------------


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class SourceInline(ReadOnlyInline):
    model = Source
    fields = ("kind", "title", "url", "publisher", "accessed_on", "added_by", "created_at")
    select_related = ("added_by",)
    show_change_link = True


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ("reviewer", "assigned_by", "assigned_at", "active")
    select_related = ("reviewer", "assigned_by")


class RulingInline(ReadOnlyInline):
    model = Ruling
    fields = ("rating", "summary", "status", "reviewer", "approved_by", "approved_at", "published_at")
    select_related = ("rating", "reviewer", "approved_by")
    show_change_link = True


class EventInline(ReadOnlyInline):
    model = Event
    fields = ("created_at", "action", "from_state", "to_state", "actor", "note")
    select_related = ("actor",)
    verbose_name_plural = "history"


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = ("created_at", "author", "body")
    select_related = ("author",)
    show_change_link = True


# --- Model admins -------------------------------------------------------------------------------


def _claim_text(claim) -> str:
    return Truncator(claim.text).chars(80)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    class Form(forms.ModelForm):
        class Meta:
            model = Rating
            fields = ("name", "slug", "value", "order", "colour", "description", "active")

        def clean_colour(self):
            colour = self.cleaned_data["colour"]
            if not _HEX_COLOUR.match(colour):
                raise ValidationError("Enter a hex colour such as #15803d.")
            return colour.lower()

    form = Form
    list_display = ("name", "slug", "value", "order", "colour", "swatch", "active", "description")
    list_display_links = ("name",)
    list_editable = ("order", "colour", "active")
    list_filter = ("active",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("order", "id")

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", self.Form)
        return super().get_changelist_form(request, **kwargs)

    @admin.display(description="")
    def swatch(self, rating: Rating) -> str:
        return format_html(
            '<span style="display:inline-block;width:1.5em;height:1em;background:{}"></span>', rating.colour
        )


@admin.register(Ruling)
class RulingAdmin(admin.ModelAdmin):
    list_display = ("summary", "claim_text", "rating", "status", "reviewer", "approved_by", "published_at", "public")
    list_filter = ("status", "rating")
    search_fields = ("summary", "explanation", "claim__text")
    date_hierarchy = "created_at"
    list_select_related = ("claim", "rating", "reviewer", "approved_by")
    fields = (
        "claim",
        "rating",
        "status",
        "summary",
        "explanation",
        "reviewer",
        "return_note",
        "approved_by",
        "approved_at",
        "published_at",
        "created_at",
        "updated_at",
    )
    # Status, verdict and people change only through the workflow; admins may correct wording.
    readonly_fields = (
        "claim",
        "rating",
        "status",
        "reviewer",
        "return_note",
        "approved_by",
        "approved_at",
        "published_at",
        "created_at",
        "updated_at",
    )
    actions = ("approve", "publish")
    # The public record: a published ruling changes only through a correction (ruling_correct),
    # which keeps it as superseded; neither is edited here.
    LOCKED = frozenset({Ruling.Status.PUBLISHED, Ruling.Status.SUPERSEDED})

    def has_add_permission(self, request):
        return False  # rulings are proposed by the assigned reviewer

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status in self.LOCKED:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not form.changed_data:
            return
        # Only the edited wording (a concurrent approval is not overwritten), and a new version:
        # a reviewer or editor whose form predates this edit gets a conflict, not a silent overwrite.
        obj.version += 1
        obj.save(update_fields=[*form.changed_data, "version", "updated_at"])
        record_event(
            article=obj.claim.article,
            claim=obj.claim,
            actor=request.user,
            action="ruling.edited",
            note=f"In the admin console: {', '.join(form.changed_data)}",
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, ruling: Ruling) -> str:
        return _claim_text(ruling.claim)

    @admin.display(description="public page")
    def public(self, ruling: Ruling) -> str:
        if ruling.status != Ruling.Status.PUBLISHED:
            return "-"
        try:
            url = reverse("factcheck-public", args=[ruling.pk])
        except NoReverseMatch:
            return "-"
        return format_html('<a href="{}">view</a>', url)

    @admin.action(description="Approve selected rulings")
    def approve(self, request, queryset):
        run_service_action(
            self, request, queryset, lambda r: services.ruling_approve(ruling=r, actor=request.user), done="approved"
        )

    @admin.action(description="Publish selected rulings")
    def publish(self, request, queryset):
        run_service_action(
            self, request, queryset, lambda r: services.ruling_publish(ruling=r, actor=request.user), done="published"
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "kind", "publisher", "claim_text", "added_by", "created_at")
    list_filter = ("kind", ClaimFilter)
    search_fields = ("title", "publisher", "url", "excerpt")
    date_hierarchy = "created_at"
    list_select_related = ("claim", "added_by")
    fields = ("claim", "kind", "title", "url", "publisher", "excerpt", "accessed_on", "added_by", "created_at")
    readonly_fields = ("claim", "added_by", "created_at")

    def has_add_permission(self, request):
        return False  # added by the assigned reviewer (source_add), with an event row

    def has_delete_permission(self, request, obj=None):
        return False  # removed through source_remove, which records the removal

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, source: Source) -> str:
        return _claim_text(source.claim)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("claim_text", "reviewer", "assigned_by", "assigned_at", "active")
    list_filter = ("active", ("reviewer", admin.RelatedOnlyFieldListFilter), ClaimFilter)
    search_fields = ("claim__text", "reviewer__username", "reviewer__last_name")
    date_hierarchy = "assigned_at"
    list_select_related = ("claim", "reviewer", "assigned_by")

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, assignment: Assignment) -> str:
        return _claim_text(assignment.claim)


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail: read-only. Filter by action, or by article or claim through the
    "History" links on their pages (``?article=<id>``, ``?claim=<id>``)."""

    list_display = ("created_at", "action", "from_state", "to_state", "article", "claim_text", "actor", "note")
    list_filter = ("action", ArticleFilter, ClaimFilter)
    search_fields = ("action", "note")
    date_hierarchy = "created_at"
    list_select_related = ("article", "claim", "actor")
    fields = ("created_at", "action", "from_state", "to_state", "article", "claim", "actor", "note")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "claim", "actor")
            .defer("article__body", "article__extraction_error")
        )

    @admin.display(description="claim")
    def claim_text(self, event: Event) -> str:
        return _claim_text(event.claim) if event.claim_id else "-"


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments are written on the claim page, where mentions are notified; the admin only
    corrects a comment's wording (for example to remove personal data)."""

    list_display = ("excerpt", "claim_text", "author", "created_at")
    list_filter = (ClaimFilter,)
    search_fields = ("body", "author__username")
    date_hierarchy = "created_at"
    list_select_related = ("claim", "author")
    fields = ("claim", "author", "created_at", "body")
    readonly_fields = ("claim", "author", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        return Truncator(comment.body).chars(80)

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, comment: Comment) -> str:
        return _claim_text(comment.claim)


class SentFilter(admin.SimpleListFilter):
    title = "sent"
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("yes", "Sent"), ("no", "Not sent yet"), ("failed", "Failed (will be retried)")]

    def queryset(self, request, queryset):
        match self.value():
            case "yes":
                return queryset.filter(sent_at__isnull=False)
            case "no":
                return queryset.filter(sent_at__isnull=True)
            case "failed":
                return queryset.filter(sent_at__isnull=True, attempts__gt=0)
        return queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The e-mails the workflow sent or is sending: read-only, for finding out who was told what."""

    list_display = ("created_at", "kind", "recipient", "subject", "claim_id", "sent_at", "attempts", "error")
    list_filter = ("kind", SentFilter, ClaimFilter)
    search_fields = ("subject", "recipient__username", "recipient__email")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    fields = ("created_at", "kind", "key", "recipient", "claim", "subject", "body", "sent_at", "attempts", "error")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient").defer("body")


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    """Availability and workload caps, read by auto-assignment."""

    list_display = ("user", "available", "max_open", "open_load")
    list_editable = ("available", "max_open")
    list_filter = ("available",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    fields = ("user", "available", "max_open")

    def get_queryset(self, request):
        open_claims = Q(user__assigned_claims__status__in=OPEN_STATES)
        return super().get_queryset(request).annotate(open_load=Count("user__assigned_claims", filter=open_claims))

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            reviewers = get_user_model().objects.filter(groups__name=roles.REVIEWERS, reviewer_profile=None)
            kwargs["queryset"] = reviewers.order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="open claims", ordering="open_load")
    def open_load(self, profile: ReviewerProfile) -> int:
        return profile.open_load


class ReviewerProfileInline(admin.StackedInline):
    model = ReviewerProfile
    fields = ("available", "max_open")
    can_delete = False
    max_num = 1
    verbose_name_plural = "reviewer profile"


class UserAdmin(auth_admin.UserAdmin):
    """Django's user admin, with the reviewer profile on a user's page."""

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        return [*inlines, ReviewerProfileInline] if obj is not None else inlines


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)


@admin.register(KnownFactCheck)
class KnownFactCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Other organisations' fact-checks, as imported (import_claimreview, or the API's
    known-fact-checks/import/): read-only, since a re-import would overwrite any edit."""

    list_display = ("claim_excerpt", "rating_name", "publisher_name", "date_published", "source", "imported_at")
    list_filter = ("source", "language")
    search_fields = ("claim_reviewed", "claimant", "publisher_name", "review_url")
    date_hierarchy = "imported_at"
    list_select_related = ("imported_by",)
    fields = (
        "review_url",
        "claim_reviewed",
        "claimant",
        "rating_name",
        "rating_value",
        "rating_best",
        "rating_worst",
        "publisher_name",
        "publisher_url",
        "date_published",
        "appearance_url",
        "language",
        "source",
        "source_name",
        "imported_at",
        "imported_by",
        "raw_json",
    )
    readonly_fields = ("raw_json",)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("imported_by")
        # The list never shows the raw markup; only the change page loads it.
        url_name = getattr(request.resolver_match, "url_name", None) or ""
        return qs if url_name.endswith("_change") else qs.defer("raw")

    @admin.display(description="claim", ordering="claim_reviewed")
    def claim_excerpt(self, row: KnownFactCheck) -> str:
        return Truncator(row.claim_reviewed).chars(80)

    @admin.display(description="ClaimReview as imported")
    def raw_json(self, row: KnownFactCheck) -> str:
        # Escaped by format_html: imported markup is someone else's text, never our HTML.
        return format_html("<pre>{}</pre>", json.dumps(row.raw, indent=2, ensure_ascii=False))
