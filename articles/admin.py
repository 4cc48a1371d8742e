"""Articles and claims in the admin console.

Writes go through the services: adding an article is ``article_create`` (event row, extraction
enqueued after commit); claim status changes only through the accept/reject actions.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from factcheck.admin import ArticleFilter, run_service_action
from reviews import services as review_services
from reviews.admin import AssignmentInline, CommentInline, EventInline, RulingInline, SourceInline
from reviews.services.claims import CLOSED_STATES

from . import services
from .models import Article, Claim
from .validation import clean_body, clean_text, clean_url, default_title

ARTICLE_INPUT_FIELDS = ("title", "body", "source_url", "outlet", "byline", "published_on", "language")


def _events_link(label: str, **filters) -> str:
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', reverse("admin:reviews_event_changelist"), query, label)


class ArticleForm(forms.ModelForm):
    """The same input rules as the web form and the API (articles.validation)."""

    source_url = forms.URLField(max_length=2000, required=False, assume_scheme="https")

    class Meta:
        model = Article
        fields = ARTICLE_INPUT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Left empty, the first line of the body is used."
        self.fields["language"].required = False
        self.fields["body"].strip = False  # stored verbatim, as through the API: offsets index it

    def clean(self):
        data = super().clean()
        rules = {
            "body": clean_body,
            "source_url": clean_url,
            "title": lambda v: clean_text(v, field="title", required=False, max_length=300).strip(),
            "outlet": lambda v: clean_text(v, field="outlet", required=False, max_length=200).strip(),
            "byline": lambda v: clean_text(v, field="byline", required=False, max_length=300).strip(),
            "language": lambda v: clean_text(v, field="language", required=False, max_length=16).strip() or "en",
        }
        for field, rule in rules.items():
            if field in data:
                try:
                    data[field] = rule(data[field])
                except ValidationError as exc:  # a {field: message} error
                    self.add_error(None, exc)
        if not data.get("title") and data.get("body"):
            data["title"] = default_title(data["body"])
        return data


class ClaimInline(admin.TabularInline):
    """The article's claims in text order, read-only; each links to its own page."""

    model = Claim
    fields = ("start", "end", "short_text", "speaker", "checkworthiness", "claim_type", "status", "assignee")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee").order_by("start")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="text")
    def short_text(self, claim: Claim) -> str:
        return Truncator(claim.text).chars(120)


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # Bodies can be a megabyte each: never load them for a list. Here rather than in
        # ArticleAdmin.get_queryset because the change page needs the body; the count is a
        # correlated subquery so the date and filter queries stay free of joins.
        claims = Claim.objects.filter(article=OuterRef("pk")).order_by().values("article")
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .defer("body", "extraction_error")
            .annotate(num_claims=Subquery(claims.annotate(n=Count("pk")).values("n")))
        )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ("title", "outlet", "extraction_status", "claim_count", "submitted_by", "created_at")
    list_filter = ("extraction_status", "language")
    search_fields = ("title", "outlet", "byline", "source_url")
    date_hierarchy = "created_at"
    list_select_related = ("submitted_by",)
    readonly_fields = (
        "submitted_by",
        "extraction_status",
        "extraction_error",
        "extraction_requested_at",
        "extracted_at",
        "created_at",
        "updated_at",
        "links",
    )
    inlines = (ClaimInline,)
    actions = ("re_extract",)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ARTICLE_INPUT_FIELDS})]
        if obj is not None:
            fieldsets.append(("Extraction and audit", {"fields": self.readonly_fields}))
        return fieldsets

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    @admin.display(description="claims")
    def claim_count(self, article: Article) -> int:
        return article.num_claims or 0

    @admin.display(description="links")
    def links(self, article: Article) -> str:
        if not article.pk:
            return "-"
        claims = reverse("admin:articles_claim_changelist") + f"?article={article.pk}"
        return format_html('<a href="{}">Claims</a> · {}', claims, _events_link("History", article=article.pk))

    def save_model(self, request, obj, form, change):
        if change:
            # Compared with the stored body, not form.changed_data: browsers post a textarea
            # with CRLF line endings, which clean_body normalises back to the same text.
            old_body = Article.objects.filter(pk=obj.pk).values_list("body", flat=True).get()
            super().save_model(request, obj, form, change)
            if obj.body != old_body:
                services.article_request_extraction(article=obj, actor=request.user)
            return
        # One path for every interface: the service stores it, writes the event and
        # enqueues extraction after commit.
        created = services.article_create(
            submitted_by=request.user, **{name: form.cleaned_data[name] for name in ARTICLE_INPUT_FIELDS}
        )
        for field in Article._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False
        obj._state.db = created._state.db

    @admin.action(description="Re-extract claims of the selected articles")
    def re_extract(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda article: services.article_request_extraction(article=article, actor=request.user),
            done="queued for extraction",
        )


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Claims come from extraction, so there is no add page; status, assignee and the span
    are read-only (status changes through the actions, the assignee through assignment)."""

    list_display = (
        "short_text",
        "article",
        "speaker",
        "status",
        "checkworthiness",
        "checkworthy",
        "claim_type",
        "priority",
        "assignee",
        "due_date",
    )
    list_filter = (
        "status",
        "checkworthy",
        "claim_type",
        "priority",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        ArticleFilter,
    )
    search_fields = ("text", "speaker", "article__title")
    date_hierarchy = "created_at"
    list_select_related = ("article", "assignee")
    fields = (
        "article",
        "text",
        "start",
        "end",
        "status",
        "assignee",
        "speaker",
        "checkworthiness",
        "checkworthy",
        "claim_type",
        "priority",
        "due_date",
        "created_at",
        "updated_at",
        "links",
    )
    readonly_fields = ("article", "text", "start", "end", "status", "assignee", "created_at", "updated_at", "links")
    inlines = (SourceInline, AssignmentInline, RulingInline, CommentInline, EventInline)
    actions = ("accept", "reject")
    # Edited through claim_update (a version bump and an event row), like on the claim page.
    WORKFLOW_FIELDS = ("priority", "due_date")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status in CLOSED_STATES:
            return (*self.readonly_fields, *self.WORKFLOW_FIELDS)  # claim_update refuses closed claims
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Only the edited fields: a transition made meanwhile (status, assignee) is never
        # overwritten with the values this form was loaded with.
        plain = [name for name in form.changed_data if name not in self.WORKFLOW_FIELDS]
        if plain:
            obj.save(update_fields=[*plain, "updated_at"])
        workflow = {name: form.cleaned_data[name] for name in form.changed_data if name in self.WORKFLOW_FIELDS}
        if workflow:
            review_services.claim_update(claim=obj, actor=request.user, note="in the admin console", **workflow)

    def get_queryset(self, request):
        # The changelist shows the article's title next to each claim: never its body.
        return (
            super()
            .get_queryset(request)
            .select_related("article", "assignee")
            .defer("article__body", "article__extraction_error")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Reject instead: deleting a claim would also delete its audit trail.
        return False

    @admin.display(description="claim", ordering="text")
    def short_text(self, claim: Claim) -> str:
        return Truncator(claim.text).chars(100)

    @admin.display(description="links")
    def links(self, claim: Claim) -> str:
        return _events_link("History", claim=claim.pk)

    @admin.action(description="Accept selected claims")
    def accept(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda claim: review_services.claim_accept(claim=claim, actor=request.user),
            done="accepted",
        )

    @admin.action(description="Reject selected claims")
    def reject(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda claim: review_services.claim_reject(claim=claim, actor=request.user),
            done="rejected",
        )
