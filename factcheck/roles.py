"""Newsroom roles, held as auth groups.

- editors: triage claims, assign them, approve and publish rulings.
- reviewers: work only on the claims assigned to them.
- admins: superusers; everything, including the admin console.

The web UI, the REST API and the admin all ask these functions, so a role means the same
thing everywhere.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

EDITORS = "editors"
REVIEWERS = "reviewers"
ROLE_GROUPS = (EDITORS, REVIEWERS)


def _groups(user) -> set[str]:
    # Cached on the user object: templates and permission checks ask several times a request.
    cached = getattr(user, "_factcheck_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._factcheck_groups = cached
    return cached


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_editor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or EDITORS in _groups(user)))


def is_reviewer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and REVIEWERS in _groups(user))


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Anyone with a newsroom role: may read articles and the claim queue."""
    return is_editor(user) or is_reviewer(user)


def newsroom_required(view):
    """Logged in (else to the login page) and holding a newsroom role (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied("You have no newsroom role.")
        return view(request, *args, **kwargs)

    return wrapper


def context_processor(request):
    user = getattr(request, "user", AnonymousUser())
    return {
        "user_is_editor": is_editor(user),
        "user_is_reviewer": is_reviewer(user),
        "user_is_admin": is_admin(user),
    }
