"""The editors' dashboard, and the public annotated article: an article's text with each
checked claim highlighted in its verdict's colour, linking to its fact-check."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from articles.models import Article, Claim
from articles.views import highlight
from factcheck import roles

from . import stats
from .charts import BAR_COLOUR, HBarRow, Series, hbar_chart, safe_colour, week_chart
from .models import Ruling

S = Claim.Status

# Bars of the claims-by-state chart: waiting for triage, in the desk's hands, out, set aside.
# Each has at least 4.5:1 contrast on white, like the text beside it.
STATE_COLOURS = {
    S.CANDIDATE: "#a16207",
    S.ACCEPTED: "#1d4ed8",
    S.ASSIGNED: "#6d28d9",
    S.IN_REVIEW: "#6d28d9",
    S.RETURNED: "#c2410c",
    S.SUBMITTED: "#6d28d9",
    S.APPROVED: "#0f766e",
    S.PUBLISHED: "#15803d",
    S.CORRECTED: "#15803d",
    S.REJECTED: "#6b7280",
    S.MERGED: "#6b7280",
}
OVER_CAP_COLOUR = "#b91c1c"


def duration_text(value: datetime.timedelta) -> str:
    """A median time as people say it: "20 min" under an hour, "5 h 20 min" under a day, "3.4 days" above."""
    hours = value.total_seconds() / 3600
    minutes = int(value.total_seconds() // 60 % 60)
    if hours < 1:
        return f"{minutes} min"
    if hours < 24:
        return f"{int(hours)} h {minutes} min"
    return f"{hours / 24:.1f} days"


@login_required
def dashboard(request):
    """Claims by state, overdue, reviewer load, time to publication, throughput, verdicts."""
    if not roles.is_editor(request.user):
        raise PermissionDenied("The dashboard is for editors.")
    queue = reverse("claim-queue")
    counts = stats.claim_counts()
    loads = stats.reviewer_workload()
    median, median_count = stats.median_time_to_publication()
    weeks = stats.week_starts()
    published = stats.published_per_week(weeks)
    verdicts = stats.verdicts_per_week(weeks)
    state_chart = hbar_chart(
        [
            HBarRow(label, n, colour=STATE_COLOURS.get(value, BAR_COLOUR), href=f"{queue}?status={value}")
            for value, label, n in counts.by_state
        ]
    )
    load_chart = hbar_chart(
        [
            HBarRow(
                load.reviewer.get_full_name() or load.reviewer.get_username(),
                load.open_load,
                colour=OVER_CAP_COLOUR if load.full else BAR_COLOUR,
                href=f"{queue}?reviewer={load.reviewer.pk}",
                marker=load.cap,
                marker_label=f"cap {load.cap}",
            )
            for load in loads
        ]
    )
    context = {
        "counts": counts,
        "overdue_url": f"{queue}?overdue=1",
        "queue_url": queue,
        "state_chart": state_chart,
        "loads": loads,
        "load_chart": load_chart,
        "median": duration_text(median) if median is not None else None,
        "median_count": median_count,
        "median_days": stats.MEDIAN_DAYS,
        "weeks": weeks,
        "published": list(zip(weeks, published, strict=True)),
        "published_total": sum(published),
        "throughput_chart": week_chart(weeks, [Series("Published", BAR_COLOUR, published)]),
        "verdicts": verdicts,
        "verdict_rows": [(week, [s.values[i] for s in verdicts]) for i, week in enumerate(weeks)],
        "verdict_chart": week_chart(weeks, [Series(s.name, s.colour, s.values) for s in verdicts]),
    }
    return render(request, "reviews/dashboard.html", context)


# --- The public annotated article -------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """A published ruling placed in the article text (``highlight`` reads start and end)."""

    ruling: Ruling
    colour: str

    @property
    def claim(self) -> Claim:
        return self.ruling.claim

    @property
    def start(self) -> int:
        return self.ruling.claim.start

    @property
    def end(self) -> int:
        return self.ruling.claim.end

    @property
    def in_text(self) -> bool:
        # A stale claim's offsets refer to an older body: it is listed, not highlighted.
        return not self.ruling.claim.stale


def published_article(request, pk: int):
    """Public, no login. 404 unless the article has a published (or corrected) verdict, so
    nothing the desk has not published is ever shown."""
    verdicts = [Verdict(r, safe_colour(r.rating.colour)) for r in stats.public_verdicts(article_id=pk)]
    if not verdicts:
        raise Http404("No published fact-checks for this article.")
    try:
        article = stats.public_article(pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    legend: dict[int, dict] = {}
    for v in verdicts:
        entry = legend.setdefault(v.ruling.rating_id, {"rating": v.ruling.rating, "colour": v.colour, "count": 0})
        entry["count"] += 1
    context = {
        "article": article,
        "paragraphs": highlight(article.body, [v for v in verdicts if v.in_text]),
        "verdicts": verdicts,
        "legend": sorted(legend.values(), key=lambda e: (e["rating"].order, e["rating"].pk)),
        "org_name": settings.FACTCHECK_ORG_NAME,
    }
    return render(request, "reviews/published_article.html", context)


@dataclass(frozen=True)
class Correction:
    date: datetime.datetime | None
    note: str
    previous: Ruling
    previous_colour: str


def factcheck_corrections(ruling: Ruling) -> dict:
    """What the public fact-check page adds for a corrected verdict: each correction, newest
    first, with its note and the verdict it replaced (one query, none if nothing was corrected)."""
    superseded = stats.corrections(ruling)
    by_pk = {r.pk: r for r in superseded}
    entries = []
    for r in [ruling, *superseded]:
        previous = by_pk.get(r.supersedes_id)
        if previous is not None:
            entries.append(Correction(r.published_at, r.correction_note, previous, safe_colour(previous.rating.colour)))
    return {"corrections": entries}
