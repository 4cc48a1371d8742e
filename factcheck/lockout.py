"""Login rate limiting with django-axes: how a locked-out client is answered, and which
address it is counted under (settings: AXES_*).

After AXES_FAILURE_LIMIT failed logins for one username from one address, that pair is refused
for AXES_COOLOFF_MINUTES (each further try restarts the wait), on the login pages and on
POST /api/v1/auth/token/ alike. People get the login page with a message, API clients the
API's error shape with code ``locked_out``; both with status 429 and ``Retry-After``.
"""

import math

from axes.helpers import get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle

from factcheck.api import error_body

STATUS = 429


def client_ip(request) -> str | None:
    """The address the API throttles use: the connection's, or X-Forwarded-For that many hops
    back behind API_NUM_PROXIES trusted proxies (a client cannot forge it otherwise)."""
    return BaseThrottle().get_ident(request)


def _wait(request) -> tuple[int, str]:
    cool_off = get_cool_off(request)
    seconds = math.ceil(cool_off.total_seconds()) if cool_off else 0
    minutes = max(1, math.ceil(seconds / 60))
    return seconds, f"{minutes} minute{'s' if minutes != 1 else ''}"


def lockout_response(request, original_response=None, credentials=None):
    seconds, wait = _wait(request)
    message = (
        f"Too many failed login attempts for this account from your address. "
        f"Try again in {wait}; each further attempt restarts the wait."
    )
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body("locked_out", message), status=STATUS)
    else:
        context = {"form": AuthenticationForm(request), "locked_out": message, "next": request.GET.get("next", "")}
        response = render(request, "registration/login.html", context, status=STATUS)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
