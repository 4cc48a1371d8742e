"""Throughput of the claim pipeline, against pysbd's sentence segmentation alone, on one core.

    .venv/bin/python benchmarks/bench_extraction.py [--repeat 3] [--skip-pysbd]

Corpus: the PolNeAR dev texts (../shared/data/polnear-dev/text/*.txt, evaluation data: read, never
shipped) and the seed article. Prints, in MB/s of UTF-8 text per second of this process's CPU
time (``time.process_time``: on a shared machine, wall time also counts the time other processes
hold the core, which made the ratio swing by half between runs):

- the full pipeline, ``extract`` per article and over the whole corpus as one text;
- its parts: segmentation, segmentation + claim type, language detection;
- pysbd ``Segmenter(language="en", clean=False, char_span=False).segment`` per article (a common
  choice of sentence splitter; a dev dependency), warmed up and best of the same runs as the
  pipeline, and the pipeline's ratio to it;
- model loading: a fresh process importing the pipeline and scoring one unit;
- peak RSS of a fresh process that imports the pipeline and extracts the corpus.

The last line is key=value figures. Targets: pipeline >= 2 MB/s and >= 15x pysbd, loading < 1 s,
RSS < 150 MB.
"""

import os

# One core: numerical libraries must not start thread pools (set before anything imports numpy).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "seeds" / "000_dcf8f189fc6cc466.txt"
sys.path.insert(0, str(ROOT))


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def corpus_paths() -> list[Path]:
    polnear = sorted((SHARED / "data" / "polnear-dev" / "text").glob("*.txt"))
    if not polnear:
        print(f"note: {SHARED} (PolNeAR dev texts) is missing; the corpus is the seed article only")
    return [*polnear, SEED]


def best_time(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def fresh_process(code: str) -> dict:
    """Run ``code`` in a new interpreter (same environment, one core) and parse its JSON line."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=600
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


LOAD_CODE = """
import json, time
started = time.perf_counter()
from articles.extraction import checkworthiness, extract
imported = time.perf_counter()
checkworthiness.score(["NATO's 32 countries agreed to spend 3.5% of GDP on defence by 2035."])
extract("Warm-up. One more sentence.")
done = time.perf_counter()
print(json.dumps({"import_s": imported - started, "load_s": done - started}))
"""

RSS_CODE = """
import json, resource
from pathlib import Path
from articles.extraction import extract
for path in json.loads(%r):
    extract(Path(path).read_text(encoding="utf-8"))
print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; the best is kept (default 3)")
    parser.add_argument("--skip-pysbd", action="store_true", help="do not time pysbd (it takes seconds)")
    args = parser.parse_args()

    print(pin_to_one_core())
    paths = corpus_paths()
    texts = [path.read_text(encoding="utf-8") for path in paths]
    joined = "\n\n".join(texts)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(texts)} articles, {mb:.3f} MB")

    # Fresh processes first, so that this process's warm caches do not flatter them.
    loading = fresh_process(LOAD_CODE)
    rss = fresh_process(RSS_CODE % json.dumps([str(p) for p in paths]))

    from articles.extraction import extract
    from articles.extraction.classify import claim_type
    from articles.extraction.language import detect_language
    from articles.extraction.segment import split_sentences

    extract(texts[-1])  # warm-up

    def segment_and_classify():
        for text in texts:
            language = detect_language(text)
            for start, end in split_sentences(text):
                claim_type(text[start:end], language)

    figures = {
        "pipeline_mb_s": mb / best_time(lambda: [extract(t) for t in texts], args.repeat),
        "pipeline_joined_mb_s": mb / best_time(lambda: extract(joined), args.repeat),
        "segment_mb_s": mb / best_time(lambda: [split_sentences(t) for t in texts], args.repeat),
        "segment_classify_mb_s": mb / best_time(segment_and_classify, args.repeat),
        "language_mb_s": mb / best_time(lambda: [detect_language(t) for t in texts], args.repeat),
    }
    print(f"full pipeline, per article:      {figures['pipeline_mb_s']:8.2f} MB/s")
    print(f"full pipeline, corpus as 1 text: {figures['pipeline_joined_mb_s']:8.2f} MB/s")
    print(f"  segmentation:                  {figures['segment_mb_s']:8.2f} MB/s")
    print(f"  segmentation + claim type:     {figures['segment_classify_mb_s']:8.2f} MB/s (with language)")
    print(f"  language detection:            {figures['language_mb_s']:8.2f} MB/s")

    if not args.skip_pysbd:
        try:
            import pysbd
        except ImportError:
            print("pysbd is not installed (pip install -r requirements-dev.txt); skipping the comparison")
        else:
            segmenter = pysbd.Segmenter(language="en", clean=False, char_span=False)
            segmenter.segment(texts[-1])  # warm-up, as for the pipeline: its regexes compiled once

            def pysbd_corpus():
                for text in texts:
                    segmenter.segment(text)

            # Best of the same number of runs as the pipeline: one cold run was up to 1.8 times
            # slower than a warm one, which flattered the ratio.
            figures["pysbd_mb_s"] = mb / best_time(pysbd_corpus, args.repeat)
            figures["ratio"] = figures["pipeline_mb_s"] / figures["pysbd_mb_s"]
            print(f"pysbd segmentation alone:        {figures['pysbd_mb_s']:8.2f} MB/s")
            print(f"ratio pipeline / pysbd:          {figures['ratio']:8.1f} x")

    figures.update(loading)
    figures.update(rss)
    figures["corpus_mb"] = mb
    print(f"model loading (fresh process, import + first score): {loading['load_s']:.2f} s")
    print(f"peak RSS (fresh process, import + extract the corpus): {rss['peak_rss_mb']:.0f} MB")
    print(" ".join(f"{key}={value:.3f}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
