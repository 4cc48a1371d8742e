"""Query-string filters, ordering and paging of the API's lists, and the article list's filters.

Every list is ordered down to a unique column, so that a row never appears on two pages or
on none while the client pages through an unchanged list."""

import datetime
import threading
from collections import OrderedDict
from functools import partial

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Func, IntegerField, Subquery, Value
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.pagination import PageNumberPagination

from .models import Article
from .validation import MAX_ID


class Pagination(PageNumberPagination):
    """``?page=N``, and ``?page_size=N`` (at most 200) for clients that want fewer or more rows."""

    page_size_query_param = "page_size"
    max_page_size = 200


TOTAL = "_paginator_total"


class OneQueryPaginator(Paginator):
    """A Paginator that reads a page's rows and the list's total in one query: the total is
    a scalar subquery (``SELECT COUNT(*)`` over the same filters, which the database runs
    once) annotated on every row. That spares the claim list a round trip per request
    (docs/benchmarks.md, "API list endpoint"), and the count and the rows come from the same
    snapshot. Anything else (an empty or invalid page, a DISTINCT, grouped or combined
    query, where COUNT over the rows would not be the number of results) takes Django's own
    path: a COUNT query, then the page."""

    def __init__(self, *args, sql_key: tuple | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sql_key = sql_key

    def page(self, number):
        qs = self.object_list
        try:
            number = int(str(number))  # "2" only; 1.5, "2.0" and "x" get Django's answer below
        except ValueError:
            return super().page(number)
        query = getattr(qs, "query", None)
        if (
            not 1 <= number <= MAX_ID // self.per_page  # the OFFSET must fit the database's integer
            or query is None
            or query.distinct
            or query.combinator
            or query.group_by is not None
        ):
            return super().page(number)
        bottom = (number - 1) * self.per_page
        count = Func(Value(1), function="COUNT", output_field=IntegerField())
        total = Subquery(qs.order_by().annotate(**{TOTAL: count}).values(TOTAL))
        page = qs.annotate(**{TOTAL: total})[bottom : bottom + self.per_page]
        if self.sql_key is None or qs.query.is_empty():  # .none() has no SQL to compile
            rows = list(page)
        else:  # the same SQL, compiled once for this key, page and size
            key = (*self.sql_key, qs.db, bottom, self.per_page)
            sql, params = COMPILED.sql(key, page)
            rows = list(qs.model._default_manager.db_manager(qs.db).raw(sql, params))
        if not rows:  # past the end, or an empty list: EmptyPage or an empty first page
            return super().page(number)
        self.count = getattr(rows[0], TOTAL)  # count is a cached_property: this is its value
        return self._get_page(rows, number, self)


class OneQueryPagination(Pagination):
    """Pagination whose page and total come from one query (OneQueryPaginator). A view whose
    list query's SQL is fully determined by a few values can say so with a method
    ``page_sql_key(request)`` returning them as a tuple (or None): the page's SQL is then
    compiled once per key, page and size (CompiledQueries)."""

    django_paginator_class = OneQueryPaginator

    def paginate_queryset(self, queryset, request, view=None):
        key_of = getattr(view, "page_sql_key", None)
        sql_key = key_of(request) if key_of is not None else None
        if sql_key is not None:
            self.django_paginator_class = partial(OneQueryPaginator, sql_key=sql_key)
        return super().paginate_queryset(queryset, request, view)


class CompiledQueries:
    """SQL compiled once per key: Django builds and compiles a query's SQL on every
    evaluation, which cost the claim list more than the database took to run it
    (docs/benchmarks.md, "API list endpoint"). The key must name everything the SQL depends
    on, including the database alias; the least recently used of ``size`` keys is dropped."""

    def __init__(self, size: int = 512):
        self.size = size
        self._sql: OrderedDict[tuple, tuple[str, tuple]] = OrderedDict()
        self._lock = threading.Lock()

    def sql(self, key: tuple, queryset) -> tuple[str, tuple]:
        with self._lock:
            found = self._sql.get(key)
            if found is not None:
                self._sql.move_to_end(key)
                return found
        sql, params = queryset.query.sql_with_params()
        with self._lock:
            self._sql[key] = (sql, tuple(params))
            while len(self._sql) > self.size:
                self._sql.popitem(last=False)
        return sql, tuple(params)

    def clear(self) -> None:
        with self._lock:
            self._sql.clear()


COMPILED = CompiledQueries()


class _IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)  # a larger number overflows the database's integer: a 500
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A row id. NumberFilter alone would accept 1.5, and the schema would call it a number."""

    field_class = _IdField


class _BoundedDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 datetime that every database can compare: its UTC instant inside years
    1..9999 (0001-01-01T00:00+09:00 is in year 0 in UTC) and an offset of at most 14 hours
    (the widest in use; PostgreSQL refuses beyond 15:59)."""

    def to_python(self, value):
        try:
            parsed = super().to_python(value)
        except OverflowError:  # made aware in the current time zone past year 9999
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if parsed is None:
            return None
        offset = parsed.utcoffset()
        try:
            in_range = offset is not None and abs(offset) <= datetime.timedelta(hours=14)
            in_range = in_range and 1 < parsed.astimezone(datetime.UTC).year < 9999
        except OverflowError:
            in_range = False
        if not in_range:
            raise forms.ValidationError("Enter a date and time between the years 2 and 9998.", code="invalid")
        return parsed


class _DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _BoundedDateTimeField


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
    return _DateTimeFilter(
        field_name=field, lookup_expr="gte", help_text=f"{what} at or after this ISO 8601 date or datetime."
    )


def datetime_until(field: str, what: str) -> django_filters.IsoDateTimeFilter:
    return _DateTimeFilter(
        field_name=field, lookup_expr="lt", help_text=f"{what} before this ISO 8601 date or datetime."
    )


class ArticleFilter(StableFilterSet):
    extraction_status = django_filters.MultipleChoiceFilter(
        # The article's own column: no join, no duplicates, so no SELECT DISTINCT (a whole-table sort).
        choices=Article.ExtractionStatus.choices,
        distinct=False,
        help_text="Repeat for several: ?extraction_status=pending&...",
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
