"""Query-string filters of the claim queue in the API."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from articles.models import Claim

from .selectors import overdue_q


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A row id. NumberFilter alone would accept 1.5, and the schema would call it a number."""

    field_class = forms.IntegerField


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices)
    reviewer = IdFilter(field_name="assignee")  # a user id
    article = IdFilter(field_name="article")
    checkworthy = django_filters.BooleanFilter(help_text="true: only check-worthy claims.")
    stale = django_filters.BooleanFilter(help_text="false: only claims whose text is in the current article body.")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", help_text="true: only open claims past their due date; false: all the others."
    )
    ordering = django_filters.OrderingFilter(
        fields=(("checkworthiness", "score"), ("priority", "priority"), ("due_date", "due"), ("created_at", "created")),
        help_text="Sort by score, priority, due or created; prefix with - for descending (default: -priority, -score).",
    )

    class Meta:
        model = Claim
        fields = ["status", "reviewer", "article", "checkworthy", "stale", "overdue"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
