"""Speed, load time and memory of the check-worthiness scorer.

    python benchmarks/bench_checkworthiness.py [--polnear ../shared/data/polnear-dev/text]
        [--ct24 ../shared/data/ct24/dev-test.tsv] [--repeat 3]

Units are the PolNeAR dev articles cut into sentences by a plain regex (the scorer's speed per
byte hardly depends on where units are cut) plus the CT24 dev-test sentences. Prints MB/s for
one batch of everything and for one batch per article (as the pipeline calls it), each with a
fresh cache ("cold", the first articles a worker sees) and with a warm one; CPU time, best of
--repeat runs. Runs without Django.
"""

import argparse
import csv
import re
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.extraction import checkworthiness  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def units_of(polnear: Path, ct24: Path) -> list[list[str]]:
    articles = []
    for path in sorted(polnear.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        articles.append([s for s in SENTENCE_END.split(text) if s.strip()])
    with ct24.open(encoding="utf-8", newline="") as fh:
        articles.append([row[1] for row in list(csv.reader(fh, delimiter="\t"))[1:]])
    return articles


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = ROOT.parent / "shared" / "data"
    parser.add_argument("--polnear", type=Path, default=shared / "polnear-dev" / "text")
    parser.add_argument("--ct24", type=Path, default=shared / "ct24" / "dev-test.tsv")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    articles = units_of(args.polnear, args.ct24)
    everything = [u for a in articles for u in a]
    mb = sum(len(u.encode("utf-8")) for u in everything) / 1e6
    print(f"{len(articles)} documents, {len(everything)} units, {mb:.3f} MB")

    load = best_of(args.repeat, checkworthiness.Model)
    print(f"load: {load * 1000:.0f} ms CPU")

    def cold_batch():
        checkworthiness.Model().score(everything)

    def cold_articles():
        model = checkworthiness.Model()
        for units in articles:
            model.score(units)

    warm = checkworthiness.Model()
    warm.score(everything)
    for name, run, extra in (
        ("one batch, cold cache", cold_batch, load),
        ("one batch, warm cache", lambda: warm.score(everything), 0.0),
        ("per document, cold cache", cold_articles, load),
        ("per document, warm cache", lambda: [warm.score(units) for units in articles], 0.0),
    ):
        seconds = best_of(args.repeat, run) - extra
        print(f"{name}: {mb / seconds:.1f} MB/s")

    tracemalloc.start()
    model = checkworthiness.Model()
    loaded = tracemalloc.get_traced_memory()[0]
    for units in articles:
        model.score(units)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory: {loaded / 1e6:.1f} MB loaded, {current / 1e6:.1f} MB with the cache after the run "
        f"({len(model._index)} chunks), peak {peak / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
