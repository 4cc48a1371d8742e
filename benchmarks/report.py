"""What the benchmark scripts share for reporting: a timestamped log line, the machine's load
average (the figures mean little without it), and writing a result block into a document
between two markers."""

import os
import re
import time
from pathlib import Path


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def loadavg() -> str:
    """The 1/5/15-minute load average, as "1.2/0.8/0.5"."""
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def write_between_markers(path: Path, begin: str, end: str, block: str) -> bool:
    """Replace what stands between the ``begin`` and ``end`` markers of ``path`` with
    ``block``; False (and the file untouched) when the markers are missing."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        log(f"{path.name}: no {begin} marker; not written")
        return False
    path.write_text(pattern.sub(lambda _: f"{begin}\n{block}\n{end}", text, count=1), encoding="utf-8")
    return True
