"""Run once per fault-test session, in the app's environment (private PostgreSQL and Redis):
migrate the template database and create the personas with an API token each. Prints one JSON
object: the tokens, and the database connection settings the web server and worker run with.

Usage: python tests/faults/seed_app.py  (DATABASE_URL, REDIS_URL etc. from the environment)
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PASSWORD = "fault-tests-password"


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from factcheck import tokens
    from factcheck.roles import EDITORS, REVIEWERS

    call_command("migrate", interactive=False, verbosity=0)
    people = {"erin": EDITORS, "ed": EDITORS, "rita": REVIEWERS}
    out = {"tokens": {}, "password": PASSWORD}
    for username, group in people.items():
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@example.org"
        )
        user.groups.add(Group.objects.get(name=group))
        _token, secret = tokens.token_create(user=user, name="fault tests", actor=user)
        out["tokens"][username] = secret
    database = settings.DATABASES["default"]
    out["database"] = {"CONN_MAX_AGE": database["CONN_MAX_AGE"], "CONN_HEALTH_CHECKS": database["CONN_HEALTH_CHECKS"]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
