"""Create the demo accounts (demo mode only: DEBUG on).

Safe to run on every start: existing accounts keep their password, names and e-mail; the
command only makes sure each is active and holds its role. ``--reset-passwords`` puts the
demo password back.
"""

import contextlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from factcheck.roles import EDITORS, REVIEWERS

DEMO_PASSWORD = "factcheck-demo"  # noqa: S105 (demo accounts exist only when DEBUG is on)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    group: str | None = None
    superuser: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@factcheck.example"


DEMO_ACCOUNTS = (
    DemoAccount("editor", "editor", "Erin", "Editor", group=EDITORS),
    DemoAccount("editor2", "editor (approves)", "Ed", "Second", group=EDITORS),
    DemoAccount("reviewer", "reviewer", "Rita", "Reviewer", group=REVIEWERS),
    DemoAccount("reviewer2", "reviewer", "Otto", "Other", group=REVIEWERS),
    DemoAccount("admin", "admin", "Ada", "Admin", superuser=True),
)


class Command(BaseCommand):
    help = "Create the demo logins (editor, editor2, reviewer, reviewer2, admin). Only when DEBUG is on."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords", action="store_true", help=f"set every demo account's password to {DEMO_PASSWORD!r}"
        )

    def handle(self, *args, reset_passwords: bool, **options):
        if not settings.DEBUG:
            raise CommandError("demo accounts are only created when DEBUG is on")
        with transaction.atomic():
            rows = [(account, self._ensure(account, reset_passwords=reset_passwords)) for account in DEMO_ACCOUNTS]
        self._print_table(rows)

    def _ensure(self, account: DemoAccount, *, reset_passwords: bool) -> str:
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"first_name": account.first_name, "last_name": account.last_name, "email": account.email},
        )
        if created or reset_passwords:
            user.set_password(DEMO_PASSWORD)
        user.is_active = True
        if account.superuser:
            user.is_staff = user.is_superuser = True
        user.save()
        if account.group:
            user.groups.add(Group.objects.get_or_create(name=account.group)[0])
        if created:
            return "created"
        return "password reset" if reset_passwords else "exists"

    def _print_table(self, rows) -> None:
        out = self.stdout
        out.write("")
        out.write(f"Demo logins (password: {DEMO_PASSWORD}; existing accounts keep theirs)")
        out.write(f"  {'username':<10} {'role':<18} {'name':<13} status")
        for account, status in rows:
            name = f"{account.first_name} {account.last_name}"
            out.write(f"  {account.username:<10} {account.role:<18} {name:<13} {status}")
        out.write("")
        out.write(f"Open:   {settings.SITE_URL}/")
        with contextlib.suppress(NoReverseMatch):  # no web UI mounted (e.g. an API-only URLconf)
            out.write(f"Log in: {settings.SITE_URL}{reverse(settings.LOGIN_URL)}")
        out.write(f"Admin:  {settings.SITE_URL}{reverse('admin:index')}")
