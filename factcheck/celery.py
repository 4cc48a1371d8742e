"""The Celery application. Workers start with: celery -A factcheck worker."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def load_extraction_models(**kwargs) -> None:
    """Load the check-worthiness model(s) as each worker process starts, so that the first
    article a process extracts does not wait for them (the MiniLM scorer takes up to 2 s)."""
    from articles.extraction import pipeline

    pipeline.warm_up()
