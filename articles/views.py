"""Newsroom pages for articles: the list, the submit form, bulk import, an article with its
claims, and triage on the article page (accept, reject, merge, add a claim from a selection,
re-cut a claim)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from factcheck import roles
from factcheck.roles import newsroom_required
from reviews import services as review_services
from reviews.services import claims as claim_services
from reviews.workflow import TRANSITIONS, Conflict, NotAllowed, WorkflowError

from . import selectors, services
from .forms import (
    IMPORT_MAX_ROWS,
    ArticleForm,
    ClaimMergeForm,
    ClaimSpanForm,
    ImportForm,
    TriageForm,
    add_service_errors,
    import_max_bytes,
    paste_max_bytes,
)
from .importing import ImportFileError, articles_import
from .models import Article, Claim

PAGE_SIZE = 50
# An import report lists at most this many rows of each kind; the counts are always complete.
IMPORT_REPORT_ROWS = 200
# The buttons on the article page's claim card and claims table, in order; keys "a" and "r".
TRIAGE_ACTIONS = (("accept", "Accept"), ("reject", "Reject"))
FINISHED = {Article.ExtractionStatus.DONE, Article.ExtractionStatus.FAILED}


@dataclass(frozen=True)
class Segment:
    text: str
    claim: Claim | None = None
    offset: int = 0  # where the text starts in the body: the page's script maps selections with it
    first: bool = True  # False for the rest of a claim that crosses a line break


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
                segments.append(Segment(body[pos:start], offset=pos))
            if end > start:
                segments.append(Segment(body[start:end], spans[i], offset=start, first=start == spans[i].start))
            pos = max(pos, end)
            i += 1
        if pos < line_end:
            segments.append(Segment(body[pos:line_end], offset=pos))
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
def article_import(request):
    """Import many articles from a file or pasted JSON Lines, with the same rules as the
    import_articles command; the report names each row that was skipped or refused."""
    if not roles.is_editor(request.user):
        raise PermissionDenied("Only editors can import articles.")
    context = {"max_bytes": import_max_bytes(), "paste_max_bytes": paste_max_bytes(), "max_rows": IMPORT_MAX_ROWS}
    if request.method != "POST":
        return render(request, "articles/article_import.html", {"form": ImportForm(), **context})
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            rows = form.rows()
        except ImportFileError as exc:
            form.add_error("file" if form.cleaned_data["file"] is not None else "text", str(exc))
        else:
            try:
                report = articles_import(rows, submitted_by=request.user, extract=form.cleaned_data["extract"])
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            # Titles for the links: one query, bodies left in the database.
            shown = report.article_ids[:IMPORT_REPORT_ROWS]
            created = Article.objects.filter(pk__in=shown).only("pk", "title").order_by("pk")
            context.update(
                report=report,
                created=created,
                skipped=report.skipped[:IMPORT_REPORT_ROWS],
                errors=report.errors[:IMPORT_REPORT_ROWS],
                more={
                    "created": report.created - len(shown),
                    "skipped": max(len(report.skipped) - IMPORT_REPORT_ROWS, 0),
                    "errors": max(len(report.errors) - IMPORT_REPORT_ROWS, 0),
                },
                form=ImportForm(),
            )
            return render(request, "articles/article_import.html", context)
    return render(request, "articles/article_import.html", {"form": form, **context}, status=400)


def _get_claim_for_user(request, article_pk: int, claim_pk) -> Claim:
    """A claim of this article the user may see (the service reloads and locks it), or 404."""
    try:
        visible = selectors.claims_visible_to(request.user).only("pk", "article_id")
        return visible.get(pk=claim_pk, article_id=article_pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim in this article.") from None


def _article_context(request, article: Article, **extra) -> dict:
    """What the article page and its triage fragment show. Each claim gets the triage actions
    this user may take on it, decided without queries (roles are cached on the user)."""
    user = request.user
    editor = roles.is_editor(user)
    claims = [c for c in article.claims.all() if not c.stale]
    stale = [c for c in article.claims.all() if c.stale]  # their offsets refer to an older body
    accept, reject = TRANSITIONS["accept"].sources, TRANSITIONS["reject"].sources
    merge = TRANSITIONS["merge"].sources
    # Claims another may be merged into: the article's live claims that are not duplicates themselves.
    merge_targets = [c for c in claims if c.status != Claim.Status.MERGED] if editor else []
    for claim in claims:
        claim.can_accept = editor and claim.status in accept
        claim.can_reject = editor and claim.status in reject
        claim.can_recut = claim_services.may_recut(user, claim)
        # Another claim to merge into: more than one target, or one that is not this claim.
        others = len(merge_targets) > 1 or (merge_targets and merge_targets[0].pk != claim.pk)
        claim.can_merge = editor and claim.status in merge and bool(others)
        flags = (
            ("accept", claim.can_accept),
            ("reject", claim.can_reject),
            ("edit", claim.can_recut),
            ("merge", claim.can_merge),
        )
        claim.actions = " ".join(name for name, ok in flags if ok)  # for the card the script fills
    context = {
        "article": article,
        "claims": claims,
        "stale_claims": stale,
        "paragraphs": highlight(article.body, claims),
        # The claim pages' common prefix: claims/<id>/ under the claim queue (one reverse, not 400).
        "claims_base": reverse("claim-queue"),
        "add_form": ClaimSpanForm() if editor else None,
        "triage_actions": TRIAGE_ACTIONS,
        "merge_targets": merge_targets,
    }
    context.update(extra)
    return context


def _editing(request, context: dict, form: ClaimSpanForm | None = None) -> None:
    """The claim named by ``?edit=`` (or the bound form's), when this editor may re-cut it."""
    pk = request.GET.get("edit") if form is None else form.claim_pk
    claim = next((c for c in context["claims"] if str(c.pk) == str(pk)), None)
    if claim is not None and claim.can_recut:
        context["editing"] = claim
        context["edit_form"] = form or ClaimSpanForm(initial={"text": claim.text, "version": claim.version})


def _merging(request, context: dict, form: ClaimMergeForm | None = None) -> None:
    """The claim named by ``?merge=`` (or the bound form's): the merge panel, the page's way to
    merge without the script. Its list leaves out the claim itself."""
    pk = request.GET.get("merge") if form is None else form.data.get("claim")
    claim = next((c for c in context["claims"] if str(c.pk) == str(pk)), None)
    if claim is not None and claim.can_merge:
        context["merging"] = claim
        context["merge_form"] = form or ClaimMergeForm(initial={"claim": claim.pk, "version": claim.version})
        context["merging_targets"] = [t for t in context["merge_targets"] if t.pk != claim.pk]


@newsroom_required
def article_detail(request, pk: int):
    article = _get_article_for_user(request, pk)
    context = _article_context(request, article)
    _editing(request, context)
    _merging(request, context)
    return render(request, "articles/article_detail.html", context)


def _triage_response(request, pk: int, *, status: int = 200, message: str = "", error: str = "", focus=None, **forms):
    """After a triage action: htmx gets the triage fragment (text and claims table) with the
    message in the page's live region; a plain POST gets a redirect back to the article, or on
    an error the whole page again with the error and any bound form."""
    if request.htmx:
        article = _get_article_for_user(request, pk)
        context = _article_context(request, article, message=message, error=error, focus=focus)
        return render(request, "articles/article_detail.html#triage-response", context, status=status)
    if not error:
        messages.success(request, message)
        return redirect(reverse("article-detail", args=[pk]) + (f"#claim-{focus}" if focus else ""))
    messages.error(request, error)
    article = _get_article_for_user(request, pk)
    context = _article_context(request, article)
    if forms.get("add_form") is not None:
        context["add_form"] = forms["add_form"]
    if forms.get("edit_form") is not None:
        _editing(request, context, forms["edit_form"])
    if forms.get("merge_form") is not None:
        _merging(request, context, forms["merge_form"])
    return render(request, "articles/article_detail.html", context, status=status)


def _run(request, pk: int, action, message, *, focus=None, form_name: str = "", form=None):
    """One service call; its refusals become 403 (not allowed), 409 (conflict, wrong state) or
    400 (bad input), each with the service's message."""
    try:
        result = action()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except WorkflowError as exc:
        prefix = "Not saved. " if isinstance(exc, Conflict) else ""
        return _triage_response(request, pk, status=409, error=prefix + exc.message, **{form_name: form})
    except ValidationError as exc:
        if form is not None:
            add_service_errors(form, exc)
        return _triage_response(request, pk, status=400, error=" ".join(exc.messages), **{form_name: form})
    return _triage_response(request, pk, message=message(result), focus=focus or result.pk)


def _form_error(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@newsroom_required
@require_POST
def article_triage(request, pk: int):
    """Accept or reject a claim from the article page (the card, a key, or the claims table)."""
    form = TriageForm(request.POST)
    if not form.is_valid():
        _get_article_for_user(request, pk)  # 404 before 400 for an article the user cannot see
        return _triage_response(request, pk, status=400, error=_form_error(form))
    data = form.cleaned_data
    claim = _get_claim_for_user(request, pk, data["claim"])
    service = {"accept": review_services.claim_accept, "reject": review_services.claim_reject}[data["action"]]
    done = {"accept": "accepted", "reject": "rejected"}[data["action"]]
    return _run(
        request,
        pk,
        lambda: service(claim=claim, actor=request.user, expected_version=data["version"]),
        lambda c: f"Claim {c.pk} {done}.",
        focus=claim.pk,
    )


@newsroom_required
@require_POST
def article_claim_merge(request, pk: int):
    """Merge a claim into another claim of the same article (the card, or the merge panel)."""
    _get_article_for_user(request, pk)  # 404 before 403 or 400 for an article the user cannot see
    if not roles.is_editor(request.user):
        raise PermissionDenied("Only editors can merge claims.")
    form = ClaimMergeForm(request.POST)
    if not form.is_valid():
        return _triage_response(request, pk, status=400, error=_form_error(form), merge_form=form)
    data = form.cleaned_data
    claim = _get_claim_for_user(request, pk, data["claim"])
    into = selectors.claims_visible_to(request.user).filter(pk=data["into"], article_id=pk).only("pk").first()
    if into is None:
        error = f"There is no claim {data['into']} in this article; choose one from the list."
        form.add_error("into", error)
        return _triage_response(request, pk, status=400, error=error, merge_form=form)
    return _run(
        request,
        pk,
        lambda: review_services.claim_merge(
            claim=claim, into=into, actor=request.user, expected_version=data["version"]
        ),
        lambda c: f"Claim {c.pk} merged into claim {into.pk}.",
        focus=into.pk,
        form_name="merge_form",
        form=form,
    )


@newsroom_required
@require_POST
def article_claim_add(request, pk: int):
    """Add a claim from a selection in the text (offsets) or from its text (no script needed)."""
    article = _get_article_for_user(request, pk)
    if not roles.is_editor(request.user):
        raise PermissionDenied("Only editors can add claims.")
    form = ClaimSpanForm(request.POST)
    if not form.is_valid():
        return _triage_response(request, pk, status=400, error=_form_error(form), add_form=form)
    return _run(
        request,
        pk,
        lambda: claim_services.claim_add(article=article, actor=request.user, **form.service_args()),
        lambda c: f"Claim {c.pk} added: “{c.text}”",
        form_name="add_form",
        form=form,
    )


@newsroom_required
@require_POST
def article_claim_edit(request, pk: int, claim_pk: int):
    """Re-cut a claim: new boundaries from a selection, or its corrected text."""
    claim = _get_claim_for_user(request, pk, claim_pk)
    if not roles.is_editor(request.user):
        raise PermissionDenied("Only editors can change a claim's text.")
    form = ClaimSpanForm(request.POST)
    form.claim_pk = claim.pk
    if not form.is_valid():
        return _triage_response(request, pk, status=400, error=_form_error(form), edit_form=form)
    return _run(
        request,
        pk,
        lambda: claim_services.claim_recut(
            claim=claim, actor=request.user, expected_version=form.cleaned_data["version"], **form.service_args()
        ),
        lambda c: f"Claim {c.pk} now reads “{c.text}”",
        form_name="edit_form",
        form=form,
    )


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
