"""Throughput of speaker attribution, in MB/s of UTF-8 text on one core.

    .venv/bin/python benchmarks/bench_speakers.py [FILE ...]

Without arguments it reads the PolNeAR dev texts from ../shared (joined into one document, as
the speed budget is stated) or, failing that, the seed article repeated to about 400 KB.
Units come from the segmenter, so only ``attribute_speakers`` is timed. The best of several
runs of CPU time is reported, which is what a busy machine can still measure reliably.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.extraction.segment import split_sentences  # noqa: E402
from articles.extraction.speakers import attribute_speakers  # noqa: E402

POLNEAR = ROOT.parent / "shared" / "data" / "polnear-dev" / "text"
SEED = ROOT / "seeds" / "000_dcf8f189fc6cc466.txt"
RUNS = 15


def corpus(paths: list[str]) -> str:
    if paths:
        return "\n\n".join(Path(p).read_text(encoding="utf-8") for p in paths)
    if POLNEAR.is_dir():
        return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(POLNEAR.glob("*.txt")))
    seed = SEED.read_text(encoding="utf-8")
    return "\n\n".join([seed] * (400_000 // len(seed) + 1))


def main() -> None:
    text = corpus(sys.argv[1:])
    spans = split_sentences(text)
    size = len(text.encode("utf-8"))
    best = float("inf")
    for _ in range(RUNS):
        start = time.process_time()
        attribute_speakers(text, spans)
        best = min(best, time.process_time() - start)
    mb = size / 1e6
    print(f"attribute_speakers: {mb:.2f} MB, {len(spans)} units, {best * 1000:.1f} ms, {mb / best:.2f} MB/s")


if __name__ == "__main__":
    main()
