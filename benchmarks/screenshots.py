"""Refresh the README's screenshots in docs/screenshots/.

Runs the browser workflow test (tests/browser/test_workflow.py: the seed article from the
Submit form to a published fact-check, in Debian's Chromium against a live server and a real
worker) with FACTCHECK_README_SCREENSHOTS pointing at docs/screenshots/, so the test saves a
viewport-sized PNG of a few pages on its way. Then shrinks each to a 256-colour palette
(Pillow) and prints the sizes; an image over the limit is an error.

    .venv/bin/python benchmarks/screenshots.py [--max-kb 150]

Uses the embedded defaults (SQLite, filesystem broker) in a temporary FACTCHECK_VAR_DIR;
the full-page screenshots and page audit of that run are left there and their folder printed.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def shrink(path: Path) -> int:
    """Re-encode as an optimised 256-colour PNG (screens of text and flat colour lose
    nothing visible); returns the new size in bytes."""
    with Image.open(path) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(path, optimize=True)
    return path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-kb", type=int, default=150, help="largest acceptable PNG, in KB (default 150)")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    var_dir = tempfile.mkdtemp(prefix="factcheck-screenshots-")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")},
        "FACTCHECK_README_SCREENSHOTS": str(OUT),
        "FACTCHECK_VAR_DIR": var_dir,
        "CELERY_TASK_DEFAULT_QUEUE": f"factcheck-screenshots-{os.getpid()}",
    }
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/browser/test_workflow.py"]
    if subprocess.run(command, cwd=ROOT, env=env, check=False).returncode != 0:
        print("the browser test failed; docs/screenshots/ is incomplete", file=sys.stderr)
        return 1
    shots = sorted(OUT.glob("*.png"))
    if not shots:
        print("the test saved no screenshots (is /usr/bin/chromium installed?)", file=sys.stderr)
        return 1
    too_big = []
    for path in shots:
        before = path.stat().st_size
        after = shrink(path)
        print(f"{path.relative_to(ROOT)}: {before / 1024:.0f} KB -> {after / 1024:.0f} KB")
        if after > args.max_kb * 1024:
            too_big.append(path.name)
    print(f"full-page screenshots and the page audit: {Path(var_dir) / 'screenshots'}")
    if too_big:
        print(f"over {args.max_kb} KB: {', '.join(too_big)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
