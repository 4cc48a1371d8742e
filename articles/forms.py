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
