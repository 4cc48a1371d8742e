"""API authentication with the hashed tokens of ``factcheck.models.ApiToken``, and the throttles
that go with it (per token, per user, per address).

Clients send ``Authorization: Bearer <token>``; ``Token <token>`` (DRF's scheme, which this
API used before) is accepted too, so existing integrations only need a new token.
"""

import logging

import redis
from rest_framework import authentication, exceptions, throttling

from factcheck import tokens
from factcheck.models import ApiToken, split_token

logger = logging.getLogger(__name__)
SCHEMES = (b"bearer", b"token")
REALM = "api"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in SCHEMES:
            return None  # not ours: the session (or nothing) decides
        request._token_presented = True
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header: send `Bearer <token>`.")
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return self.authenticate_token(key)

    def authenticate_token(self, key: str) -> tuple:
        prefix = split_token(key)
        token = tokens.token_for_auth(prefix) if prefix else None
        # The same message for an unknown prefix and a wrong secret: nothing to learn from it.
        if token is None or not token.matches(key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        if token.is_expired:
            raise exceptions.AuthenticationFailed("This token has expired.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This user is inactive.")
        tokens.token_mark_used(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) without credentials, with this WWW-Authenticate
        # header; RFC 6750 adds error="invalid_token" when a token was sent but refused.
        if getattr(request, "_token_presented", False):
            return f'Bearer realm="{REALM}", error="invalid_token"'
        return f'Bearer realm="{REALM}"'


# --- Throttles ------------------------------------------------------------------------------

# What the cache raises when its server (Redis, or the file cache's folder) cannot be reached.
CACHE_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class FailOpenMixin:
    """Let the request through when the counters' cache cannot be reached: a Redis outage must
    not turn every API call into a 500 (tests/faults/test_redis_down.py). Rate limits are a
    guard against abuse, not part of the data; the login lock-out (django-axes) uses the
    database and keeps working."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_DOWN:
            logger.warning("Throttle cache unreachable; %s lets the request through", type(self).__name__)
            return True


class AnonRateThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    """API_THROTTLE_ANON per client address for requests without credentials."""


class UserOrTokenRateThrottle(FailOpenMixin, throttling.UserRateThrottle):
    """API_THROTTLE_USER per token when token-authenticated (each integration its own
    budget), otherwise per user (the browser session). Anonymous requests: AnonRateThrottle."""

    scope = "user"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenObtainRateThrottle(FailOpenMixin, throttling.SimpleRateThrottle):
    """API_THROTTLE_TOKEN_OBTAIN per client address on the password endpoint, logged in or
    not: it is where passwords are guessed."""

    scope = "token_obtain"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
