"""The admin console: for admins (superusers) only, and shared pieces of the app admins.

Admin actions call the same service functions as the web UI and the REST API; a refused
action on one row is reported as a message, and the other rows go ahead.
"""

from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model

from factcheck import roles
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
