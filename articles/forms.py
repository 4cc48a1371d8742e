"""Web forms for articles. They parse the request; the input rules live in
``articles.validation`` and are applied by the service, so the form, the API and the
admin refuse the same things."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where the field exists."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ArticleForm(forms.Form):
    title = forms.CharField(required=False, max_length=300, help_text="Leave empty to use the first line.")
    # Not stripped: claim offsets are positions in the body exactly as stored.
    body = forms.CharField(strip=False, widget=forms.Textarea(attrs={"rows": 18}))
    source_url = forms.CharField(
        label="Source URL", required=False, max_length=2000, widget=forms.URLInput(attrs={"placeholder": "https://"})
    )
    outlet = forms.CharField(required=False, max_length=200)
    byline = forms.CharField(required=False, max_length=300)
    published_on = forms.DateField(
        label="Published on", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    language = forms.CharField(required=False, max_length=16, initial="en", help_text="A language code, e.g. en.")


class TriageForm(forms.Form):
    """Accept or reject one claim from the article page."""

    claim = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")], widget=forms.HiddenInput)
    # The claim version the page showed: acting on a claim someone changed since is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ClaimSpanForm(forms.Form):
    """A claim's span of the article: offsets from a selection in the page, or its text.

    Offsets are positions in the body as stored (Unicode code points). Without them the
    service looks the text up in the body."""

    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    # Not stripped: compared with the body by the service, which trims the span itself.
    text = forms.CharField(
        label="Claim text",
        required=False,
        strip=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Exactly as it appears in the article.",
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        has_start, has_end = data.get("start") is not None, data.get("end") is not None
        if has_start != has_end:
            raise forms.ValidationError("Send both the start and the end of the selection.")
        if not has_start and not (data.get("text") or "").strip() and not self.errors:
            self.add_error("text", "Select the claim's text in the article, or type it here.")
        return data

    def service_args(self) -> dict:
        data = self.cleaned_data
        args = {"start": data.get("start"), "end": data.get("end"), "text": data.get("text") or None}
        return args
