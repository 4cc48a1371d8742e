"""A Celery worker whose extractions take FAULTS_EXTRACTION_DELAY_SECONDS longer: the window in
which test_worker_killed.py kills it. Test-only: the product has no such hook, and this wrapper
only patches the pipeline inside its own process before Celery starts.

Usage: python tests/faults/slow_worker.py -A factcheck worker ...  (the arguments of `celery`)
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from articles import extraction  # pure Python: importing it needs no Django set-up

DELAY = float(os.environ["FAULTS_EXTRACTION_DELAY_SECONDS"])
_extract = extraction.extract


def slow_extract(text):
    # articles.services calls extraction.extract() after claiming the article (status running).
    print(f"faults: extraction started, sleeping {DELAY:g} s", flush=True)
    time.sleep(DELAY)
    return _extract(text)


extraction.extract = slow_extract

if __name__ == "__main__":
    from celery.__main__ import main

    sys.argv = ["celery", *sys.argv[1:]]
    sys.exit(main())
