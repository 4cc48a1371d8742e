"""API tokens: the writes (create, revoke, mark used) and the reads, for the API, the web page
and the admin alike.

Token changes are audited on the token row itself (created_by, created_at, revoked_by,
revoked_at): the newsroom's Event table records claim and article history and needs an article.
"""

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from factcheck import roles
from factcheck.models import ApiToken
from reviews.workflow import NotAllowed

# A bound on live tokens per user, so that a script that asks for a token on every run (the
# password endpoint makes a new one each time) is told to clean up instead of piling rows up.
MAX_ACTIVE_TOKENS = 100
# last_used_at is a hint for people ("used 3 minutes ago"), not an audit log: writing it at
# most once a minute spares the database a write per API request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _may_manage(actor, user) -> bool:
    return actor.is_authenticated and (actor.pk == user.pk or roles.is_admin(actor))


@transaction.atomic
def token_create(*, user, name: str, actor, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its plaintext, which is never available again."""
    if not _may_manage(actor, user):
        raise NotAllowed("Only the user or an admin can create a token for this user.")
    name = token_check_new(user=user, name=name, expires_at=expires_at)
    token = ApiToken(user=user, name=name, expires_at=expires_at, created_by=actor if actor.pk else None)
    for attempt in range(3):
        secret = token.set_new_secret()
        try:
            with transaction.atomic():  # a savepoint: a prefix collision (1 in 2^40) retries
                token.save()
            break
        except IntegrityError:
            if attempt == 2:
                raise
    return token, secret


def token_check_new(*, user, name: str, expires_at: datetime | None) -> str:
    """Raise ValidationError (by field) unless a token may be made; return the cleaned name.
    token_create calls it; forms call it first to show the errors beside their fields."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = ["Give the token a name, e.g. what it is for."]
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors["name"] = ["At most 100 characters."]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = ["Must be in the future."]
    if not user.is_active:
        errors["user"] = ["This user is inactive."]
    if errors:
        raise ValidationError(errors)
    if active_tokens(user).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"This user already has {MAX_ACTIVE_TOKENS} active tokens; revoke some first.")
    return name


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke ``token`` from now on. Revoking a revoked token changes nothing."""
    if not _may_manage(actor, token.user):
        raise NotAllowed("Only the token's owner or an admin can revoke it.")
    # Conditional, so a second revoke keeps the first one's time and author.
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=actor)
    token.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return token


def token_mark_used(token: ApiToken) -> None:
    """Record a use of ``token``, at most once per LAST_USED_RESOLUTION (no query otherwise)."""
    now = timezone.now()
    stale = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > stale:
        return
    # Conditional too: of several concurrent requests only one writes.
    ApiToken.objects.filter(pk=token.pk).filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)).update(
        last_used_at=now
    )
    token.last_used_at = now


# --- Reads ----------------------------------------------------------------------------------


def active_tokens(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(expires_at__lte=timezone.now())


def tokens_of(user) -> QuerySet[ApiToken]:
    """A user's own tokens, newest first (the tokens page)."""
    return ApiToken.objects.filter(user=user).defer("key_hash")


def tokens_visible_to(user) -> QuerySet[ApiToken]:
    """Admins see every user's tokens; anyone else only their own. Never the hash."""
    tokens = ApiToken.objects.select_related("user").defer("key_hash")
    return tokens if roles.is_admin(user) else tokens.filter(user=user)


def token_for_auth(prefix: str) -> ApiToken | None:
    """The token with this prefix, its user and the user's roles, in one query: the roles
    are cached on the user (roles.remember_roles), so the permission checks that follow ask
    the database nothing.

    The query's SQL is compiled once per database and reused with each prefix: building and
    compiling it took longer than the database took to answer it, on every API request
    (docs/benchmarks.md, "API list endpoint"). The rows still go through the compiler's
    converters, so every database returns the same Python values as the ORM would."""
    alias = router.db_for_read(ApiToken)
    lookup = _token_lookup(alias)
    params = (*lookup.params[: lookup.at], prefix, *lookup.params[lookup.at + 1 :])
    with connections[alias].cursor() as cursor:
        cursor.execute(lookup.sql, params)
        rows = cursor.fetchmany(1)
    row = next(iter(lookup.compiler.results_iter(results=[rows])), None)
    if row is None:
        return None
    token_end = len(lookup.token_fields)
    user_end = token_end + len(lookup.user_fields)
    token = ApiToken.from_db(alias, lookup.token_fields, row[:token_end])
    token.user = get_user_model().from_db(alias, lookup.user_fields, row[token_end:user_end])
    for name, value in zip(lookup.role_names, row[user_end:], strict=True):
        setattr(token, name, value)
    roles.remember_roles(token.user, token)
    return token


_PREFIX = "prefix-placeholder"  # stands for the prefix while the lookup's SQL is compiled


@dataclass(frozen=True)
class _TokenLookup:
    compiler: object
    sql: str
    params: tuple
    at: int  # where the prefix goes in params
    token_fields: tuple[str, ...]
    user_fields: tuple[str, ...]
    role_names: tuple[str, ...]


_lookups = threading.local()  # the compiler holds the connection of the thread that made it


def _token_lookup(alias: str) -> _TokenLookup:
    """The lookup's compiled SQL for this thread and database, made on first use."""
    made = _lookups.__dict__.setdefault("by_alias", {})
    if alias not in made:
        made[alias] = _make_token_lookup(alias)
    return made[alias]


def _make_token_lookup(alias: str) -> _TokenLookup:
    token_fields = tuple(f.attname for f in ApiToken._meta.concrete_fields)
    user_fields = tuple(f.attname for f in get_user_model()._meta.concrete_fields)
    annotations = roles.role_annotations(ApiToken)
    # The prefix is unique: no ORDER BY for one row.
    query = (
        ApiToken.objects.using(alias)
        .annotate(**annotations)
        .filter(prefix=_PREFIX)
        .order_by()
        .values_list(*token_fields, *(f"user__{name}" for name in user_fields), *annotations)[:1]
        .query
    )
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    params = tuple(params)
    if params.count(_PREFIX) != 1:
        raise ImproperlyConfigured("The token lookup's SQL must take the prefix exactly once.")
    return _TokenLookup(compiler, sql, params, params.index(_PREFIX), token_fields, user_fields, tuple(annotations))
