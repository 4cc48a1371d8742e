"""API tokens: per-user, named, revocable credentials for integrations, stored hashed.

A token reads ``fc_<prefix>_<secret>``. The prefix is public (shown in lists, used to find the
row); only the SHA-256 of the whole token is stored, so a copy of the database opens nothing.
The plaintext exists once, in the response that creates it.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_TAG = "fc"  # noqa: S105 (the public tag every token starts with, not a secret)
PREFIX_BYTES = 5  # 10 hex characters: unique per token, short enough to read out loud
SECRET_BYTES = 32  # 256 bits of randomness


# What ApiToken.status says (derived, not stored: expiry is a matter of the clock).
TOKEN_STATUSES = [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]


def hash_token(token: str) -> str:
    # A plain, unsalted SHA-256 is enough here (unlike for passwords): the secret is 256 random
    # bits, so there is no dictionary to try and no way to brute-force the preimage, and a fast
    # hash keeps authentication to one cheap digest per request. A slow password hash would
    # only cost every API call without adding any security.
    return hashlib.sha256(token.encode()).hexdigest()


def split_token(token: str) -> str | None:
    """The prefix of a well-formed token, or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_TAG or len(parts[1]) != PREFIX_BYTES * 2 or not parts[2]:
        return None
    return parts[1]


class ApiToken(models.Model):
    """One credential of one user. Never deleted by the app: revoking keeps the row as the
    record of who created it, when it was last used and who revoked it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “CMS import”.")
    prefix = models.CharField(max_length=PREFIX_BYTES * 2, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )  # the user, or an admin who made it for them
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: does not expire.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-id"]
        constraints = [
            # Authentication looks a token up by its prefix (one indexed row, then a
            # constant-time comparison of the hash).
            models.UniqueConstraint(fields=["prefix"], name="apitoken_prefix_unique"),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("created_at")),
                name="apitoken_expires_after_created",
            ),
        ]
        indexes = [
            # A user's own tokens, newest first (the tokens page and GET /api/v1/tokens/).
            models.Index(fields=["user", "-created_at"], name="apitoken_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.display})"

    @property
    def display(self) -> str:
        """How the token is shown after creation: its public part only."""
        return f"{TOKEN_TAG}_{self.prefix}_…"

    def set_new_secret(self) -> str:
        """Give this (unsaved) token a fresh prefix and secret; return the plaintext token."""
        self.prefix = secrets.token_hex(PREFIX_BYTES)
        token = f"{TOKEN_TAG}_{self.prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
        self.key_hash = hash_token(token)
        return token

    def matches(self, token: str) -> bool:
        return hmac.compare_digest(self.key_hash, hash_token(token))

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired else "active"
