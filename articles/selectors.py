"""Reads of articles, each with its related data loaded on purpose."""

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from factcheck import roles

from .models import Article, Claim


def articles_visible_to(user) -> QuerySet[Article]:
    """Editors see every article; reviewers the articles holding a claim assigned to them."""
    qs = Article.objects.all()
    if roles.is_editor(user):
        return qs
    if roles.is_reviewer(user):
        return qs.filter(Exists(Claim.objects.filter(article=OuterRef("pk"), assignee=user)))
    return qs.none()


def claim_scope(user) -> tuple:
    """Which claims ``user`` sees, as a value: ("all",) for editors, ("assignee", id) for a
    reviewer (their own claims), ("none",) for anyone else. claims_visible_to is this scope
    as a query; cached compiled SQL uses it as its key (reviews.selectors.claim_list_sql_key)."""
    if roles.is_editor(user):
        return ("all",)
    if roles.is_reviewer(user):
        return ("assignee", user.pk)
    return ("none",)


def claims_visible_to(user) -> QuerySet[Claim]:
    scope = claim_scope(user)
    if scope[0] == "all":
        return Claim.objects.all()
    if scope[0] == "assignee":
        return Claim.objects.filter(assignee_id=scope[1])
    return Claim.objects.none()


def _claim_count(**filters) -> Coalesce:
    claims = Claim.objects.filter(article=OuterRef("pk"), **filters).order_by().values("article")
    return Coalesce(Subquery(claims.annotate(n=Count("pk")).values("n")), 0)


def article_list(*, user) -> QuerySet[Article]:
    """The article list: bodies deferred, claim counts annotated, submitter joined.

    The counts are correlated subqueries, not a JOIN + GROUP BY: PostgreSQL then counts the
    claims of the page's rows only, and the pager's COUNT(*) leaves them out, instead of
    grouping every claim of every article on each page view (the load benchmark's slowest
    list: docs/benchmarks.md, "Load")."""
    return (
        articles_visible_to(user)
        .defer("body", "extraction_error")
        .select_related("submitted_by")
        .annotate(claim_count=_claim_count(), checkworthy_count=_claim_count(checkworthy=True))
        .order_by("-created_at", "-id")
    )


def article_detail(*, user, pk: int) -> Article:
    """One article with the claims this user may see, in text order. Raises DoesNotExist."""
    return (
        articles_visible_to(user)
        .select_related("submitted_by")
        .prefetch_related(
            Prefetch("claims", queryset=claims_visible_to(user).select_related("assignee").order_by("start"))
        )
        .get(pk=pk)
    )


def article_status(*, user, pk: int) -> Article:
    """One article without its body, for the extraction status fragment and the re-extract
    action. Raises DoesNotExist."""
    return articles_visible_to(user).defer("body").get(pk=pk)
