"""The signature receivers check: HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret.

docs/webhooks.md carries the receiver's side of this recipe; the tests verify deliveries with it."""

import hashlib
import hmac


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the X-Factcheck-Signature header."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
