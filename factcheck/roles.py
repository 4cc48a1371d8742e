"""Newsroom roles, held as auth groups.

- editors: triage claims, assign them, approve and publish rulings.
- reviewers: work only on the claims assigned to them.
- admins: superusers; everything, including the admin console.

The web UI, the REST API and the admin all ask these functions, so a role means the same
thing everywhere.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

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


def role_annotations(model, user_field: str = "user") -> dict[str, RawSQL]:
    """Annotations that load, with each row of ``model`` (whose foreign key ``user_field`` is
    the user), whether that user is in each role group; ``remember_roles`` then puts them on
    the user. The API's token lookup uses them so that a request costs one query for token,
    user and roles instead of two (docs/benchmarks.md, "API list endpoint").

    Raw SQL rather than Exists(): the ORM took about 1 ms a request to compile the two
    subqueries, more than the round trip they save; this is the same plain SQL, valid on
    SQLite and PostgreSQL, with its table names taken from the models."""
    User = get_user_model()
    memberships = User.groups.through._meta
    qn = connection.ops.quote_name
    user_column = f"{qn(model._meta.db_table)}.{qn(model._meta.get_field(user_field).column)}"
    # Identifiers come from the models' metadata, quoted; the group name is a parameter.
    membership_table, group_table = qn(memberships.db_table), qn(Group._meta.db_table)
    membership_user, membership_group = (qn(memberships.get_field(f).column) for f in ("user", "group"))
    sql = f"EXISTS(SELECT 1 FROM {membership_table} m INNER JOIN {group_table} g ON g.{qn('id')} = m.{membership_group} WHERE m.{membership_user} = {user_column} AND g.{qn('name')} = %s)"  # noqa: S608, E501
    return {f"_role_{name}": RawSQL(sql, (name,), output_field=BooleanField()) for name in ROLE_GROUPS}  # noqa: S611


def remember_roles(user, row) -> None:
    """Cache on ``user`` the role groups that ``role_annotations`` loaded on ``row``; the
    functions below then ask no query. Only role groups are ever asked about, so the cache
    holding only those answers the same as the full set of the user's groups."""
    user._factcheck_groups = {name for name in ROLE_GROUPS if getattr(row, f"_role_{name}")}


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
    editor, reviewer = is_editor(user), is_reviewer(user)
    return {
        "user_is_editor": editor,
        "user_is_reviewer": reviewer,
        "user_is_admin": is_admin(user),
        # A reviewer's queue is their own claims, the same list as "My claims", unless the
        # desk lets reviewers take open claims (REVIEWER_SELF_ASSIGN): then it adds those.
        "user_has_queue": editor or (reviewer and settings.REVIEWER_SELF_ASSIGN),
    }
