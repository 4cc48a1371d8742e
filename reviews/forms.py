"""Web forms of the review workflow. They parse input; the services decide what is allowed."""

from django import forms
from django.core.exceptions import ValidationError

from articles.models import Claim
from articles.validation import MAX_ID

from . import selectors
from .models import Ruling, Source

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The upper bound keeps an absurd id out of the query (SQLite raises OverflowError on it).


def _version_field() -> forms.IntegerField:
    """The version of the row the form was filled from, sent back for optimistic concurrency."""
    return forms.IntegerField(required=False, min_value=0, max_value=MAX_ID, widget=forms.HiddenInput)


class ClaimFilterForm(forms.Form):
    """The queue's and the board's GET filters. An invalid value is dropped and its error shown."""

    status = forms.ChoiceField(choices=[("", "Any status"), *Claim.Status.choices], required=False)
    reviewer = forms.ModelChoiceField(queryset=None, required=False, empty_label="Anyone")
    article = forms.IntegerField(label="Article no.", required=False, min_value=1, max_value=MAX_ID)
    claim_type = forms.ChoiceField(
        label="Claim type", choices=[("", "Any type"), *Claim.ClaimType.choices], required=False
    )
    min_score = forms.FloatField(
        label="Score at least",
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05", "placeholder": "0"}),
    )
    max_score = forms.FloatField(
        label="Score at most",
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05", "placeholder": "1"}),
    )
    speaker = forms.CharField(label="Speaker", required=False, max_length=200)
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in selectors.QUEUE_SORTS.items()],
        required=False,
        initial="priority",
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    unassigned = forms.BooleanField(label="Unassigned only", required=False)
    mine = forms.BooleanField(label="Assigned to me", required=False)
    awaiting = forms.BooleanField(label="Waiting for my approval", required=False)

    def __init__(self, *args, editor: bool = True, own_queue: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editor and not own_queue:
            self.fields["reviewer"].queryset = selectors.reviewers()
        else:
            # A reviewer sees only their own claims (and those open to take), and approves nothing.
            del self.fields["reviewer"], self.fields["awaiting"]
        if own_queue:
            # "My claims" is already that, and none of them is unassigned.
            del self.fields["mine"], self.fields["unassigned"]

    def active(self) -> dict[str, str]:
        """The filters given with a value other than the default, as sent (for matching the
        saved filters: a form submitted with every field matches the link with one)."""
        if not self.is_bound:
            return {}
        given = ((name, self.data.get(name)) for name in self.fields)
        return {name: value for name, value in given if value not in (None, "", self.fields[name].initial)}

    def error_summary(self) -> list[str]:
        """One line per refused filter, naming it."""
        return [
            f"{self[name].label if name in self.fields else 'Filters'}: {' '.join(errors)}"
            for name, errors in self.errors.items()
        ]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_score"), data.get("max_score")
        if low is not None and high is not None and low > high:
            self.add_error("max_score", "The upper score is below the lower one.")
        return data

    def filters(self) -> dict:
        """The valid filters as keyword arguments of ``reviews.selectors.claim_queue``."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        reviewer = data.get("reviewer")
        return {
            "status": data.get("status") or "",
            "reviewer_id": reviewer.pk if reviewer else None,
            "article_id": data.get("article"),
            "claim_type": data.get("claim_type") or "",
            "min_score": data.get("min_score"),
            "max_score": data.get("max_score"),
            "speaker": data.get("speaker") or "",
            "sort": data.get("sort") or "priority",
            "overdue": bool(data.get("overdue")),
            "unassigned": bool(data.get("unassigned")),
            "mine": bool(data.get("mine")),
            "awaiting_approval": bool(data.get("awaiting")),
        }


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None)
    priority = forms.TypedChoiceField(choices=Claim.Priority.choices, coerce=int)
    due_date = forms.DateField(label="Due date", required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = selectors.reviewers()


class ClaimUpdateForm(forms.Form):
    """An editor's change of priority and due date; an empty due date clears it."""

    priority = forms.TypedChoiceField(choices=Claim.Priority.choices, coerce=int)
    due_date = forms.DateField(label="Due date", required=False, widget=DATE_INPUT)
    version = _version_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_update_%s")  # the assign form on the same page has these fields
        super().__init__(*args, **kwargs)


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label="Merge into claim no.",
        min_value=1,
        max_value=MAX_ID,
        help_text="The number of the claim to keep: pick one of this article's claims, or type any claim's number.",
        # The claim page lists the article's other claims in a <datalist> of this id.
        widget=forms.NumberInput(attrs={"list": "merge-targets"}),
    )

    def clean_into(self) -> Claim:
        pk = self.cleaned_data["into"]
        target = Claim.objects.only("pk", "text", "status").filter(pk=pk).first()
        if target is None:
            raise ValidationError("There is no claim with this number.")
        return target


class SourceForm(forms.Form):
    title = forms.CharField(max_length=300)
    url = forms.CharField(label="URL", required=False, max_length=2000, widget=forms.URLInput)
    kind = forms.ChoiceField(choices=Source.Kind.choices, initial=Source.Kind.PRIMARY_DOCUMENT)
    publisher = forms.CharField(required=False, max_length=200)
    excerpt = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    accessed_on = forms.DateField(label="Accessed on", required=False, widget=DATE_INPUT)

    @classmethod
    def for_source(cls, source: Source, data=None) -> "SourceForm":
        """The edit form of one source in the list; ids are unique per source on the page."""
        initial = {name: getattr(source, name) for name in cls.base_fields}
        return cls(data, initial=initial, auto_id=f"id_source{source.pk}_%s")


class RulingForm(forms.Form):
    # Radio buttons, not a select: the claim page shows each rating's colour and description
    # beside it (templates/reviews/partials/ruling.html), and every option is visible at once.
    rating = forms.ModelChoiceField(queryset=None, widget=forms.RadioSelect, empty_label=None)
    summary = forms.CharField(max_length=200, help_text=Ruling._meta.get_field("summary").help_text)
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
    # The draft's version, or 0 when there was no draft: a draft saved meanwhile (another
    # tab) is then a conflict too.
    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = selectors.active_ratings()


class CorrectionForm(RulingForm):
    correction_note = forms.CharField(
        label="Correction note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was corrected and why; shown on the public page.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_correct_%s")  # unique ids beside the other forms on the page
        super().__init__(*args, **kwargs)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="Note to the reviewer",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What to change; the reviewer is e-mailed and sees it beside the returned ruling.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_return_%s")  # the approve form beside it has a note too
        super().__init__(*args, **kwargs)


class ApproveForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the history and sent to the reviewer.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_approve_%s")
        super().__init__(*args, **kwargs)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mention a colleague with @username to notify them.",
    )


class _ClaimIdsField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # Refuse non-numbers and absurd ids before they reach the query (SQLite overflows).
        for pk in value:
            try:
                ok = 1 <= int(pk) <= MAX_ID
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class BulkClaimsForm(forms.Form):
    """Claims ticked in the queue (the checkboxes are outside the form, tied by form=...)."""

    claims = _ClaimIdsField(
        queryset=None,
        widget=forms.MultipleHiddenInput,
        error_messages={"required": "Select at least one claim."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].queryset = selectors.claims_open_to(user).order_by("pk")


class BulkAssignForm(BulkClaimsForm):
    """Assign the ticked claims to one reviewer; auto-assignment (``need_reviewer=False``)
    shares the form and ignores the reviewer."""

    reviewer = forms.ModelChoiceField(queryset=None, label="Assign to", empty_label="Choose a reviewer")

    def __init__(self, *args, need_reviewer: bool = True, **kwargs):
        kwargs.setdefault("auto_id", "id_bulk_%s")  # the filter form above has a reviewer field too
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = selectors.reviewers()
        self.fields["reviewer"].required = need_reviewer
