"""Reads of articles, each with its related data loaded on purpose."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

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


def claims_visible_to(user) -> QuerySet[Claim]:
    qs = Claim.objects.all()
    if roles.is_editor(user):
        return qs
    if roles.is_reviewer(user):
        return qs.filter(assignee=user)
    return qs.none()


def article_list(*, user) -> QuerySet[Article]:
    """The article list: bodies deferred, claim counts annotated, submitter joined."""
    return (
        articles_visible_to(user)
        .defer("body", "extraction_error")
        .select_related("submitted_by")
        .annotate(
            claim_count=Count("claims", distinct=True),
            checkworthy_count=Count("claims", filter=Q(claims__checkworthy=True), distinct=True),
        )
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
