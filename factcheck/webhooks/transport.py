"""The HTTP edge: one POST, with a timeout, no redirects followed, and a bounded read of the reply.

Only the standard library (urllib): a webhook is one request, and nothing here needs more."""

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

EXCERPT_BYTES = 1024
USER_AGENT = "factcheck-webhooks/1"


@dataclass
class Reply:
    status: int
    excerpt: str
    duration_ms: int


class DeliveryError(Exception):
    """A failed attempt. ``permanent`` ones are not retried (a 4xx other than 429, a redirect,
    a refused address); everything else (timeouts, connection errors, 429, 5xx) is."""

    def __init__(self, message: str, *, permanent: bool = False, reply: Reply | None = None, duration_ms: int = 0):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.reply = reply
        self.duration_ms = reply.duration_ms if reply else duration_ms


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # Following a redirect would turn the POST into a GET and could lead anywhere: refuse it.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _excerpt(stream) -> str:
    try:
        return stream.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
    except (OSError, http.client.HTTPException):
        return ""


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> Reply:
    """POST ``body``; return the reply on 2xx, raise DeliveryError otherwise.

    ``timeout`` bounds the connection and each read; the task's time limit bounds the whole."""
    # S310: the scheme is http or https, checked when the endpoint was saved (clean_endpoint_url).
    request = urllib.request.Request(url, data=body, headers={**headers, "User-Agent": USER_AGENT}, method="POST")  # noqa: S310
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        with _opener.open(request, timeout=timeout) as response:
            excerpt = _excerpt(response)
            reply = Reply(response.status, excerpt, elapsed())
    except urllib.error.HTTPError as exc:
        reply = Reply(exc.code, _excerpt(exc), elapsed())
        exc.close()
        if 300 <= exc.code < 400:
            raise DeliveryError(f"HTTP {exc.code}: redirects are not followed", permanent=True, reply=reply) from None
        transient = exc.code == 429 or exc.code >= 500
        raise DeliveryError(f"HTTP {exc.code}", permanent=not transient, reply=reply) from None
    except TimeoutError as exc:
        raise DeliveryError(f"Timed out after {timeout:g} s", duration_ms=elapsed()) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise DeliveryError(f"Timed out after {timeout:g} s", duration_ms=elapsed()) from exc
        raise DeliveryError(f"Connection error: {exc.reason}", duration_ms=elapsed()) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"Connection error: {type(exc).__name__}: {exc}", duration_ms=elapsed()) from exc
    except ValueError as exc:  # a URL urllib cannot use
        raise DeliveryError(f"Invalid URL: {exc}", permanent=True, duration_ms=elapsed()) from exc
    if not 200 <= reply.status < 300:  # 1xx never reach here; anything else non-2xx is odd: retry
        raise DeliveryError(f"HTTP {reply.status}", reply=reply)
    return reply
