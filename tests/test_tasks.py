"""Every Celery task of ours can be sent: registered, with consistent time limits, and every
beat schedule entry names a real task."""

from django.conf import settings

from factcheck.celery import app


def _our_tasks():
    app.loader.import_default_modules()
    ours = {"articles", "reviews", "factcheck"}
    return {name: task for name, task in app.tasks.items() if name.split(".")[0] in ours}


def test_the_beat_schedule_names_registered_tasks():
    tasks = _our_tasks()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks


def test_soft_limits_fit_inside_hard_limits():
    # Celery refuses to send a task whose soft limit exceeds its hard limit.
    for name, task in _our_tasks().items():
        hard = task.time_limit or app.conf.task_time_limit
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        assert hard and soft and soft <= hard, name
