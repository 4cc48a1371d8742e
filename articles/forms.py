"""Web forms for articles. They parse the request; the input rules live in
``articles.validation`` and are applied by the service, so the form, the API and the
admin refuse the same things."""

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .importing import ImportFileError, read_rows
from .validation import MAX_ID

IMPORT_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv")
# Rows per web import: the import runs in the request, so it must finish while the browser waits.
IMPORT_MAX_ROWS = 5000


def import_max_bytes() -> int:
    """The largest import the web form and the API take in one request (a setting). Bigger
    imports are a job for `manage.py import_articles`, which streams JSON Lines and CSV."""
    return settings.ARTICLE_IMPORT_MAX_BYTES


def paste_max_bytes() -> int:
    # Pasted text is a form field, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE (about 4 MB) caps it first.
    return min(import_max_bytes(), settings.DATA_UPLOAD_MAX_MEMORY_SIZE or import_max_bytes())


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


class ClaimMergeForm(forms.Form):
    """Merge one claim of the article page into another claim of the same article."""

    claim = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    into = forms.IntegerField(
        label="Merge into", min_value=1, max_value=MAX_ID, error_messages={"required": "Choose the claim to keep."}
    )
    version = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)


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


class ImportForm(forms.Form):
    """A file to import, or JSON Lines pasted into the page (one of the two)."""

    file = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_SUFFIXES)}),
        help_text="JSON Lines (.jsonl, .ndjson), JSON (.json: an array) or CSV with a header row (.csv).",
    )
    # Not stripped: a pasted body keeps its spaces, as in the file.
    text = forms.CharField(
        label="Or paste JSON Lines",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text='One article per line, e.g. {"title": "…", "body": "…", "source_url": "https://…"}.',
    )
    extract = forms.BooleanField(label="Extract claims from the new articles", required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        name = upload.name or ""
        if not name.lower().endswith(IMPORT_SUFFIXES):
            raise forms.ValidationError("Upload a .jsonl, .ndjson, .json or .csv file.")
        if upload.size > import_max_bytes():
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(import_max_bytes())}."
                " Split it, or ask an administrator to run the import_articles command."
            )
        return upload

    def clean_text(self):
        text = self.cleaned_data.get("text") or ""
        if len(text.encode()) > paste_max_bytes():
            raise forms.ValidationError(
                f"The pasted text is over {filesizeformat(paste_max_bytes())}; upload it as a .jsonl file."
            )
        return text

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        has_file, has_text = data.get("file") is not None, bool((data.get("text") or "").strip())
        if has_file == has_text:
            raise forms.ValidationError("Choose a file or paste JSON Lines (one of the two).")
        return data

    def rows(self) -> list[tuple[str, object]]:
        """The upload's (or the pasted text's) rows, read whole before anything is stored.

        The readers take a path and pick the format by its suffix, so the upload is copied to a
        named temporary file first. Raises ImportFileError for a file that cannot be read as a
        whole, or one with more than IMPORT_MAX_ROWS rows."""
        upload, text = self.cleaned_data["file"], self.cleaned_data["text"]
        name = upload.name if upload is not None else "the pasted text"
        suffix = Path(upload.name).suffix.lower() if upload is not None else ".jsonl"
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            if upload is not None:
                for chunk in upload.chunks():
                    handle.write(chunk)
            else:
                handle.write(text.encode())
            handle.flush()
            rows = []
            try:
                for row in read_rows(Path(handle.name)):
                    rows.append(row)
                    if len(rows) > IMPORT_MAX_ROWS:
                        raise ImportFileError(
                            f"{handle.name}: more than {IMPORT_MAX_ROWS:,} articles. Split the file, or ask an "
                            "administrator to run the import_articles command."
                        )
            except ImportFileError as exc:
                # The readers name the file by its path: name the upload instead of the temporary file.
                raise ImportFileError(str(exc).replace(handle.name, name)) from None
        return rows
