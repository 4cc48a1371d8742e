"""The admin console: for admins (superusers) only, and shared pieces of the app admins.

Admin actions call the same service functions as the web UI and the REST API; a refused
action on one row is reported as a message, and the other rows go ahead.
"""

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.template.response import TemplateResponse
from django.utils import timezone

from factcheck import roles, tokens
from factcheck.models import ApiToken
from reviews.workflow import WorkflowError

admin.site.site_header = "factcheck admin console"
admin.site.site_title = "factcheck admin"
admin.site.index_title = "Administration"


def _superusers_only(request) -> bool:
    # Newsroom roles are groups, not staff flags; a staff account that is not an admin must
    # not reach the console through model permissions.
    return roles.is_admin(request.user) and request.user.is_staff


# An instance attribute rather than an AdminSite subclass: the default site (and every
# app's admin.py registering on it) stays as it is.
admin.site.has_permission = _superusers_only


def _error_text(exc: Exception) -> str:
    if isinstance(exc, WorkflowError):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def run_service_action(
    modeladmin: admin.ModelAdmin,
    request,
    objects: Iterable[Model],
    call: Callable[[Model], object],
    *,
    done: str,
) -> None:
    """Call ``call(obj)`` for each object, each in its own transaction (the services are
    atomic); report one success message with the count and one message per refusal."""
    succeeded = 0
    for obj in objects:
        try:
            call(obj)
        except (WorkflowError, ValidationError) as exc:
            modeladmin.message_user(
                request, f"{obj._meta.verbose_name.capitalize()} #{obj.pk}: {_error_text(exc)}", messages.WARNING
            )
        else:
            succeeded += 1
    if succeeded:
        noun = modeladmin.model._meta.verbose_name if succeeded == 1 else modeladmin.model._meta.verbose_name_plural
        modeladmin.message_user(request, f"{succeeded} {noun} {done}.", messages.SUCCESS)


class SelectedRelatedFilter(admin.SimpleListFilter):
    """Filter by one related object, chosen by following a link (``?<parameter>=<id>``).

    Unlike a plain foreign-key filter it does not list every related row in the sidebar
    (there may be thousands of articles or claims); it shows only the selected one."""

    field_name = ""  # the foreign key on the filtered model

    def lookups(self, request, model_admin):
        value = self.value()
        if not value or not value.isdigit():
            return []
        related = model_admin.model._meta.get_field(self.field_name).related_model
        obj = related._default_manager.filter(pk=value).only("pk", *self.label_fields).first()
        return [(value, str(obj) if obj else f"#{value} (deleted)")]

    label_fields: tuple[str, ...] = ()

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{f"{self.field_name}_id": int(value)})
        return queryset


class ArticleFilter(SelectedRelatedFilter):
    title = "article"
    parameter_name = "article"
    field_name = "article"
    label_fields = ("title",)


class ClaimFilter(SelectedRelatedFilter):
    title = "claim"
    parameter_name = "claim"
    field_name = "claim"
    label_fields = ("text",)


class ReadOnlyAdminMixin:
    """Audit and history rows: viewable, never added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- API tokens -----------------------------------------------------------------------------
# Registered here (factcheck's own model). An admin may make a token for any user: it is shown
# once, on the page that answers the form, and never again; tokens are revoked, not deleted.


class ApiTokenAdminForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "expires_at"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["name"] = tokens.token_check_new(user=data["user"], name=data["name"], expires_at=data["expires_at"])
        except ValidationError as exc:
            self.add_error(None, exc)
        return data


class TokenStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        now = timezone.now()
        live = Q(revoked_at__isnull=True)
        if self.value() == "active":
            return queryset.filter(live).exclude(expires_at__lte=now)
        if self.value() == "expired":
            return queryset.filter(live, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenAdminForm
    list_display = ["name", "user", "display", "status", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = [TokenStatusFilter]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    raw_id_fields = ["user"]
    actions = ["revoke"]
    view_fields = [
        "user", "name", "display", "status", "created_at", "created_by",
        "last_used_at", "expires_at", "revoked_at", "revoked_by",
    ]  # fmt: skip

    def get_fields(self, request, obj=None):
        return ApiTokenAdminForm.Meta.fields if obj is None else self.view_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.view_fields

    def has_change_permission(self, request, obj=None):
        return False  # a token's name, owner and secret are fixed; revoke it and make another

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token, secret = tokens.token_create(user=obj.user, name=obj.name, expires_at=obj.expires_at, actor=request.user)
        # The admin logs and links ``obj``: make it the row the service saved.
        for field in ("id", "name", "prefix", "key_hash", "created_at", "created_by_id"):
            setattr(obj, field, getattr(token, field))
        obj._state.adding, obj._state.db = False, token._state.db
        request._new_api_token = secret

    def response_add(self, request, obj, post_url_continue=None):
        # The secret goes into this response only: a redirect would have to carry it through
        # the session or a message cookie, i.e. store it.
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "API token created",
            "token": obj,
            "secret": request._new_api_token,
        }
        return TemplateResponse(request, "account/admin_token_created.html", context)

    @admin.action(description="Revoke selected API tokens")
    def revoke(self, request, queryset):
        run_service_action(
            self, request, queryset, lambda token: tokens.token_revoke(token=token, actor=request.user), done="revoked"
        )
