"""Web forms of the review workflow. They parse input; the services decide what is allowed."""

from django import forms
from django.db.models import BigIntegerField

from articles.models import Claim

from . import selectors
from .models import Ruling, Source

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClaimFilterForm(forms.Form):
    """The queue's GET filters. An invalid value is dropped and its error shown."""

    status = forms.ChoiceField(choices=[("", "Any status"), *Claim.Status.choices], required=False)
    reviewer = forms.ModelChoiceField(queryset=None, required=False, empty_label="Anyone")
    # The upper bound keeps an absurd id out of the query (SQLite raises OverflowError on it).
    article = forms.IntegerField(label="Article no.", required=False, min_value=1, max_value=BigIntegerField.MAX_BIGINT)
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in selectors.QUEUE_SORTS.items()],
        required=False,
    )

    def __init__(self, *args, show_reviewer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if show_reviewer:
            self.fields["reviewer"].queryset = selectors.reviewers()
        else:
            del self.fields["reviewer"]

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
            "sort": data.get("sort") or "priority",
        }


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None)
    priority = forms.TypedChoiceField(choices=Claim.Priority.choices, coerce=int)
    due_date = forms.DateField(label="Due date", required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = selectors.reviewers()


class SourceForm(forms.Form):
    title = forms.CharField(max_length=300)
    url = forms.CharField(label="URL", required=False, max_length=2000, widget=forms.URLInput)
    kind = forms.ChoiceField(choices=Source.Kind.choices, initial=Source.Kind.PRIMARY_DOCUMENT)
    publisher = forms.CharField(required=False, max_length=200)
    excerpt = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    accessed_on = forms.DateField(label="Accessed on", required=False, widget=DATE_INPUT)


class RulingForm(forms.Form):
    rating = forms.ModelChoiceField(queryset=None)
    summary = forms.CharField(max_length=200, help_text=Ruling._meta.get_field("summary").help_text)
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = selectors.active_ratings()


class ReturnForm(forms.Form):
    note = forms.CharField(label="Note to the reviewer", widget=forms.Textarea(attrs={"rows": 3}))
