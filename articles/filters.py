"""Query-string filters, ordering and paging of the API's lists, and the article list's filters.

Every list is ordered down to a unique column, so that a row never appears on two pages or
on none while the client pages through an unchanged list."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.pagination import PageNumberPagination

from .models import Article


class Pagination(PageNumberPagination):
    """``?page=N``, and ``?page_size=N`` (at most 200) for clients that want fewer or more rows."""

    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A row id. NumberFilter alone would accept 1.5, and the schema would call it a number."""

    field_class = forms.IntegerField


class _StrictNullBooleanField(forms.NullBooleanField):
    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError("Enter true or false.", code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(django_filters.BooleanFilter):
    """true or false; anything else is a 400 (django-filter would ignore it and filter nothing)."""

    field_class = _StrictNullBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)  # passes the raw value on; the select widget drops unknowns
        super().__init__(*args, **kwargs)


class StableFilterSet(django_filters.FilterSet):
    """A FilterSet whose result ends its ordering with the primary key, whatever the ordering
    asked for, so that rows with equal sort keys keep their places between pages."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
        if ordering[-1:] in (["pk"], ["-pk"], ["id"], ["-id"]):
            return queryset
        # Ties follow the last key's direction: -created lists the later of two equal rows first.
        descending = isinstance(ordering[-1], str) and ordering[-1].startswith("-") if ordering else False
        return queryset.order_by(*ordering, "-pk" if descending else "pk")


def datetime_from(field: str, what: str) -> django_filters.IsoDateTimeFilter:
    return django_filters.IsoDateTimeFilter(
        field_name=field, lookup_expr="gte", help_text=f"{what} at or after this ISO 8601 date or datetime."
    )


def datetime_until(field: str, what: str) -> django_filters.IsoDateTimeFilter:
    return django_filters.IsoDateTimeFilter(
        field_name=field, lookup_expr="lt", help_text=f"{what} before this ISO 8601 date or datetime."
    )


class ArticleFilter(StableFilterSet):
    extraction_status = django_filters.MultipleChoiceFilter(
        choices=Article.ExtractionStatus.choices, help_text="Repeat for several: ?extraction_status=pending&..."
    )
    outlet = django_filters.CharFilter(lookup_expr="iexact", help_text="The outlet's name (case-insensitive).")
    submitted_by = IdFilter(help_text="User id of the submitter.")
    submitted_after = datetime_from("created_at", "Submitted")
    submitted_before = datetime_until("created_at", "Submitted")
    published_after = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", help_text="Published on or after this date."
    )
    published_before = django_filters.DateFilter(
        field_name="published_on", lookup_expr="lte", help_text="Published on or before this date."
    )
    search = django_filters.CharFilter(field_name="title", lookup_expr="icontains", help_text="Words in the title.")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("created_at", "submitted"),
            ("published_on", "published"),
            ("title", "title"),
            ("updated_at", "updated"),
        ),
        help_text="Sort by submitted, published, title or updated; prefix with - for descending (default: -submitted).",
    )

    class Meta:
        model = Article
        fields = [
            "extraction_status",
            "outlet",
            "submitted_by",
            "submitted_after",
            "submitted_before",
            "published_after",
            "published_before",
            "search",
        ]
