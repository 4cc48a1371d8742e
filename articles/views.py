"""Newsroom pages for articles: the list, the submit form, an article with its claims."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from factcheck import roles
from factcheck.roles import newsroom_required
from reviews.workflow import NotAllowed

from . import selectors, services
from .forms import ArticleForm, add_service_errors
from .models import Article, Claim

PAGE_SIZE = 50
FINISHED = {Article.ExtractionStatus.DONE, Article.ExtractionStatus.FAILED}


@dataclass(frozen=True)
class Segment:
    text: str
    claim: Claim | None = None


def highlight(body: str, claims) -> list[list[Segment]]:
    """Split the body into paragraphs (lines) of plain and claim segments, in text order.

    The template autoescapes every segment: nothing here is marked safe. Spans that overlap an
    earlier one (possible after re-extraction with a changed pipeline) are left unmarked; a
    span crossing a line break is marked on both lines."""
    spans: list[Claim] = []
    covered = 0
    for claim in sorted(claims, key=lambda c: (c.start, c.end)):
        if claim.start >= covered and claim.end <= len(body):
            spans.append(claim)
            covered = claim.end
    paragraphs = []
    first = 0  # index of the first span that may reach the current line
    line_start = 0
    for line in body.split("\n"):
        line_end = line_start + len(line)
        while first < len(spans) and spans[first].end <= line_start:
            first += 1
        segments, pos, i = [], line_start, first
        while i < len(spans) and spans[i].start < line_end:
            start, end = max(spans[i].start, line_start), min(spans[i].end, line_end)
            if start > pos:
                segments.append(Segment(body[pos:start]))
            if end > start:
                segments.append(Segment(body[start:end], spans[i]))
            pos = max(pos, end)
            i += 1
        if pos < line_end:
            segments.append(Segment(body[pos:line_end]))
        if line.strip():
            paragraphs.append(segments)
        line_start = line_end + 1
    return paragraphs


def _get_article_for_user(request, pk: int) -> Article:
    try:
        return selectors.article_detail(user=request.user, pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None


def _get_article_status_for_user(request, pk: int) -> Article:
    try:
        return selectors.article_status(user=request.user, pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None


@newsroom_required
def article_list(request):
    page = Paginator(selectors.article_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page": page})


@newsroom_required
def article_create(request):
    if not roles.is_editor(request.user):
        raise PermissionDenied("Only editors can submit articles.")
    if request.method != "POST":
        return render(request, "articles/article_form.html", {"form": ArticleForm()})
    form = ArticleForm(request.POST)
    if form.is_valid():
        try:
            article = services.article_create(submitted_by=request.user, **form.cleaned_data)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Article saved; extraction queued.")
            return redirect("article-detail", pk=article.pk)
    return render(request, "articles/article_form.html", {"form": form}, status=400)


@newsroom_required
def article_detail(request, pk: int):
    article = _get_article_for_user(request, pk)
    claims = [c for c in article.claims.all() if not c.stale]
    stale = [c for c in article.claims.all() if c.stale]  # their offsets refer to an older body
    context = {
        "article": article,
        "claims": claims,
        "stale_claims": stale,
        "paragraphs": highlight(article.body, claims),
    }
    return render(request, "articles/article_detail.html", context)


@newsroom_required
def article_status(request, pk: int):
    """The extraction status fragment the article page polls while extraction is under way."""
    article = _get_article_status_for_user(request, pk)
    response = render(request, "articles/article_detail.html#extraction-status", {"article": article})
    if request.htmx and article.extraction_status in FINISHED:
        # The page only polls while pending or running, so this is the change: reload it
        # to show the new claims (or the error).
        response["HX-Refresh"] = "true"
    return response


@newsroom_required
@require_POST
def article_extract(request, pk: int):
    article = _get_article_status_for_user(request, pk)
    try:
        services.article_request_extraction(article=article, actor=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, "Extraction queued.")
    return redirect("article-detail", pk=article.pk)
