"""Query-string filters of the workflow's API lists: the claim queue, the audit trail, comments.

Choices repeat for several values (``?status=assigned&status=in_review``); dates and datetimes
are ISO 8601 (a date alone means its midnight); ``*_before`` excludes the instant named."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend

from articles.filters import BooleanFilter, IdFilter, StableFilterSet, datetime_from, datetime_until
from articles.models import Claim

from .models import Comment, Event
from .selectors import overdue_q


class ClaimFilter(StableFilterSet):
    # distinct=False on the multiple-choice filters: they test the claim's own columns (no join,
    # no duplicate rows), and django-filter's default SELECT DISTINCT made Postgres sort the whole
    # queue before LIMIT (the load benchmark's slowest request: docs/benchmarks.md, "Load").
    status = django_filters.MultipleChoiceFilter(
        choices=Claim.Status.choices, distinct=False, help_text="Repeat for several states."
    )
    reviewer = IdFilter(field_name="assignee", help_text="User id of the assigned reviewer.")
    article = IdFilter(field_name="article")
    claim_type = django_filters.MultipleChoiceFilter(
        choices=Claim.ClaimType.choices, distinct=False, help_text="Repeat for several types."
    )
    priority = django_filters.TypedMultipleChoiceFilter(
        choices=Claim.Priority.choices, coerce=int, distinct=False, help_text="1 low to 4 urgent; repeat for several."
    )
    min_score = django_filters.NumberFilter(
        field_name="checkworthiness", lookup_expr="gte", help_text="Check-worthiness at least this (0 to 1)."
    )
    max_score = django_filters.NumberFilter(
        field_name="checkworthiness", lookup_expr="lte", help_text="Check-worthiness at most this (0 to 1)."
    )
    speaker = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the speaker's name.")
    checkworthy = BooleanFilter(help_text="true: only check-worthy claims.")
    stale = BooleanFilter(help_text="false: only claims whose text is in the current article body.")
    overdue = BooleanFilter(
        method="filter_overdue", help_text="true: only open claims past their due date; false: all the others."
    )
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", help_text="Due on or after.")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", help_text="Due on or before.")
    created_after = datetime_from("created_at", "Extracted")
    created_before = datetime_until("created_at", "Extracted")
    updated_after = datetime_from("updated_at", "Last changed")
    updated_before = datetime_until("updated_at", "Last changed")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("checkworthiness", "score"),
            ("priority", "priority"),
            ("due_date", "due"),
            ("created_at", "created"),
            ("updated_at", "updated"),
        ),
        help_text="Sort by score, priority, due, created or updated; prefix with - for descending "
        "(default: -priority, -score).",
    )

    class Meta:
        model = Claim
        fields = [
            "status",
            "reviewer",
            "article",
            "claim_type",
            "priority",
            "min_score",
            "max_score",
            "speaker",
            "checkworthy",
            "stale",
            "overdue",
            "due_after",
            "due_before",
            "created_after",
            "created_before",
            "updated_after",
            "updated_before",
        ]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())


# Query parameters that are not the claim filter's: the pager's and DRF's format override.
NOT_FILTERS = frozenset({"page", "page_size", "format"})


class ClaimFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend, minus the FilterSet when the query names no filter (the claim
    list's usual request): building ClaimFilter copies its 18 filters and builds and cleans
    their form, about 2.4 ms a request (docs/benchmarks.md, "API list endpoint"). With no
    filter given ClaimFilter changes nothing but the ordering's tie-break, so that is all this
    does then (reviews/tests/test_api_claims.py checks that the two agree)."""

    def filter_queryset(self, request, queryset, view):
        if request.query_params.keys() <= NOT_FILTERS:
            return stable_order(queryset)
        return super().filter_queryset(request, queryset, view)


def stable_order(queryset):
    """StableFilterSet's tie-break alone: the queryset's ordering, ended with the primary key
    in the last key's direction unless it already ends with it."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if ordering[-1:] in (["pk"], ["-pk"], ["id"], ["-id"]):
        return queryset
    descending = isinstance(ordering[-1], str) and ordering[-1].startswith("-") if ordering else False
    return queryset.order_by(*ordering, "-pk" if descending else "pk")


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class EventFilter(StableFilterSet):
    claim = IdFilter(field_name="claim")
    article = IdFilter(field_name="article")
    actor = IdFilter(field_name="actor", help_text="User id of whoever acted.")
    system = BooleanFilter(
        field_name="actor", lookup_expr="isnull", help_text="true: only the system's events (the extraction worker)."
    )
    action = CharInFilter(help_text="One action or several, comma-separated: claim.accept,claim.assign.")
    action_prefix = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", help_text="A family of actions: claim., ruling., article."
    )
    created_after = datetime_from("created_at", "Happened")
    created_before = datetime_until("created_at", "Happened")
    ordering = django_filters.OrderingFilter(
        fields=(("created_at", "created"),),
        help_text="created (the default: oldest first, so new events only ever join the last page) or -created.",
    )

    class Meta:
        model = Event
        fields = ["claim", "article", "actor", "system", "action", "action_prefix", "created_after", "created_before"]


class CommentFilter(StableFilterSet):
    claim = IdFilter(field_name="claim")
    author = IdFilter(field_name="author", help_text="User id of the author.")
    created_after = datetime_from("created_at", "Written")
    created_before = datetime_until("created_at", "Written")

    class Meta:
        model = Comment
        fields = ["claim", "author", "created_after", "created_before"]
