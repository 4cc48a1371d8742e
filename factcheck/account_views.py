"""The account area of the web UI: a user's own API tokens (list, create, revoke).

Any logged-in user may hold tokens (what a token opens is decided by the user's role, as for
the session). Admins manage other users' tokens in the admin console.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from factcheck import tokens
from factcheck.models import ApiToken

PAGE_SIZE = 50


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What it is for, e.g. “CMS import”.")
    expires_in = forms.TypedChoiceField(
        label="Expires",
        choices=[("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")],
        coerce=int,
        empty_value=None,
        required=False,
    )


def _get_token_for_user(request, pk: int) -> ApiToken:
    # Someone else's token is a 404, as if it did not exist.
    return get_object_or_404(ApiToken.objects.select_related("user"), pk=pk, user=request.user)


@login_required
def api_tokens(request):
    form, created, secret = TokenForm(), None, None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            days = form.cleaned_data["expires_in"]
            try:
                created, secret = tokens.token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    expires_at=timezone.now() + timedelta(days=days) if days else None,
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = TokenForm()
    page = Paginator(tokens.tokens_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    # The secret is rendered into this response only (not carried over a redirect through the
    # session or a message cookie), so it is stored nowhere; no-store keeps it out of caches.
    response = render(
        request,
        "account/tokens.html",
        {"form": form, "page": page, "created": created, "secret": secret},
        status=400 if form.errors else 200,
    )
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = _get_token_for_user(request, pk)
    tokens.token_revoke(token=token, actor=request.user)
    messages.success(request, f"The token “{token.name}” ({token.display}) is revoked.")
    return redirect("account-tokens")
