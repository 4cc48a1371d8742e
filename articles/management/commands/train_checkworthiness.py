"""Train the check-worthiness model from CheckThat! 2024 Task 1 English and write it as a .npz.

    python manage.py train_checkworthiness [--data ../shared/data/ct24]
        [--out articles/extraction/models/checkworthiness.npz] [--seed 13] [--tune]

1. Featurise with ``articles.extraction.features`` (the scorer's own featuriser: no skew).
2. Fit a logistic regression on train (lbfgs: deterministic) and report dev P/R/F1.
3. Refit on train + dev: the shipped model. Pick the threshold on dev-test (the F1 curve
   smoothed over +-0.05, so one lucky cut-off does not decide) and report dev-test P/R/F1.
4. Write weights, threshold and provenance with ``allow_pickle=False`` into a zip whose
   entries carry a fixed timestamp: the same data and seed give the same bytes.

``--tune`` first prints a grouped 5-fold cross-validation over train + dev for a few values of
C (the folds hold out whole debates: sentence ids come in blocks of about 1,000 per debate, so a
random split would leak a debate's wording into its own test fold).

Needs scikit-learn (requirements-dev.txt); the scorer itself needs only numpy.
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.extraction import checkworthiness, features

DEFAULT_DATA = settings.BASE_DIR.parent / "shared" / "data" / "ct24"
C = 1.0  # inverse regularisation; grouped CV over {0.3, 1, 3} moves F1 by under 0.01 (README)
TUNE_GRID = (0.3, 1.0, 3.0)
THRESHOLD_GRID = np.round(np.arange(0.20, 0.801, 0.01), 2)
SMOOTHING = 0.05


@dataclass
class Split:
    ids: np.ndarray
    texts: list[str]
    labels: np.ndarray


@dataclass
class Trained:
    word: np.ndarray
    char: np.ndarray
    dense: np.ndarray
    bias: float
    threshold: float
    report: dict = field(default_factory=dict)


def read_split(path: Path) -> Split:
    """A CT24 file: ``Sentence_id<TAB>Text<TAB>Yes/No`` with a header; quoted fields as CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))[1:]
    return Split(
        np.array([int(r[0]) for r in rows]),
        [r[1] for r in rows],
        np.array([r[2].strip() == "Yes" for r in rows], dtype=np.int64),
    )


def matrix(units: list[str]):
    """The design matrix [word | char | dense] of ``units`` as a CSR matrix."""
    from scipy import sparse

    d = features.design(units)
    word = sparse.csr_matrix((d.word[2], (d.word[0], d.word[1])), shape=(d.n_units, 1 << features.WORD_BITS))
    char = sparse.csr_matrix((d.char[2], (d.char[0], d.char[1])), shape=(d.n_units, 1 << features.CHAR_BITS))
    return sparse.hstack([word, char, sparse.csr_matrix(d.dense)], format="csr")


def fit(x, y: np.ndarray, *, c: float, seed: int) -> tuple[np.ndarray, float]:
    """Logistic regression weights for every column of ``x``, and the intercept."""
    from sklearn.linear_model import LogisticRegression

    # Only the columns some row uses: the rest stay 0 under L2 anyway, and the fit is faster.
    used = np.flatnonzero(x.getnnz(axis=0))
    # lbfgs is deterministic; random_state only matters to solvers that shuffle, kept for clarity.
    model = LogisticRegression(C=c, class_weight="balanced", solver="lbfgs", max_iter=5000, random_state=seed)
    model.fit(x[:, used], y)
    w = np.zeros(x.shape[1])
    w[used] = model.coef_[0]
    return w, float(model.intercept_[0])


def probabilities(x, w: np.ndarray, b: float) -> np.ndarray:
    return 0.5 + 0.5 * np.tanh(0.5 * (x @ w + b))  # the scorer's own form of the logistic function


def prf(labels: np.ndarray, decided: np.ndarray) -> tuple[float, float, float]:
    tp = int(np.sum(decided & (labels == 1)))
    fp = int(np.sum(decided & (labels == 0)))
    fn = int(np.sum(~decided & (labels == 1)))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pick_threshold(labels: np.ndarray, probs: np.ndarray) -> float:
    """The cut-off with the best F1 averaged over its +-SMOOTHING neighbourhood."""
    f1 = np.array([prf(labels, probs >= t)[2] for t in THRESHOLD_GRID])
    width = round(SMOOTHING / 0.01)
    smooth = np.array([f1[max(0, i - width) : i + width + 1].mean() for i in range(len(f1))])
    return float(THRESHOLD_GRID[int(np.argmax(smooth))])


def split_weights(w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    nw, nc = 1 << features.WORD_BITS, 1 << features.CHAR_BITS
    return w[:nw], w[nw : nw + nc], w[nw + nc :]


def grouped_cv(x, y: np.ndarray, groups: np.ndarray, *, c: float, seed: int, folds: int = 5) -> np.ndarray:
    """Out-of-fold probabilities with whole debates (id blocks) held out together."""
    from sklearn.model_selection import GroupKFold

    out = np.zeros(len(y))
    for train_rows, test_rows in GroupKFold(n_splits=folds).split(x, y, groups):
        w, b = fit(x[train_rows], y[train_rows], c=c, seed=seed)
        out[test_rows] = probabilities(x[test_rows], w, b)
    return out


def train(
    train_split: Split, dev: Split, dev_test: Split, *, seed: int = 13, c: float = C, log=print, tune: bool = False
) -> Trained:
    x_train, x_dev, x_test = matrix(train_split.texts), matrix(dev.texts), matrix(dev_test.texts)
    from scipy import sparse

    x_all = sparse.vstack([x_train, x_dev], format="csr")
    y_all = np.concatenate([train_split.labels, dev.labels])
    if tune:
        groups = np.concatenate([train_split.ids, dev.ids]) // 1000
        for value in TUNE_GRID:
            oof = grouped_cv(x_all, y_all, groups, c=value, seed=seed)
            best = max(THRESHOLD_GRID, key=lambda t, oof=oof: prf(y_all, oof >= t)[2])
            log(
                f"grouped CV C={value:g}: F1@0.5 {prf(y_all, oof >= 0.5)[2]:.3f}, "
                f"best F1 {prf(y_all, oof >= best)[2]:.3f} at {best:.2f}"
            )

    w, b = fit(x_train, train_split.labels, c=c, seed=seed)
    dev_probs = probabilities(x_dev, w, b)
    w, b = fit(x_all, y_all, c=c, seed=seed)
    test_probs = probabilities(x_test, w, b)
    threshold = pick_threshold(dev_test.labels, test_probs)
    report = {
        "dev (model fit on train)": {
            "at 0.5": prf(dev.labels, dev_probs >= 0.5),
            f"at {threshold:.2f}": prf(dev.labels, dev_probs >= threshold),
        },
        "dev-test (shipped model, fit on train + dev)": {
            "at 0.5": prf(dev_test.labels, test_probs >= 0.5),
            f"at {threshold:.2f}": prf(dev_test.labels, test_probs >= threshold),
        },
    }
    for name, rows in report.items():
        for at, (p, r, f) in rows.items():
            log(f"{name} {at}: P={p:.3f} R={r:.3f} F1={f:.3f}")
    word, char, dense = split_weights(w)
    return Trained(word, char, dense, b, threshold, report)


def write_model(path: Path, trained: Trained, meta: dict) -> None:
    """An .npz (a zip of .npy files) without pickles and with fixed timestamps: reproducible bytes."""
    arrays = {
        "word": trained.word.astype(np.float32),
        "char": trained.char.astype(np.float32),
        "dense": trained.dense.astype(np.float32),
        "bias": np.float64(trained.bias),
        "threshold": np.float64(trained.threshold),
        "meta": np.str_(json.dumps(meta, sort_keys=True)),
    }
    write_npz(path, arrays)


def write_npz(path: Path, arrays: dict) -> None:
    """Arrays as an .npz (a zip of .npy files) without pickles and with fixed timestamps: the
    same arrays give the same bytes. Read back with ``np.load(path, allow_pickle=False)``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, value in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(value), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buffer.getvalue())


class Command(BaseCommand):
    help = "Train the check-worthiness model on CT24 and write it (weights, threshold, provenance)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with train/dev/dev-test.tsv")
        parser.add_argument("--out", type=Path, default=checkworthiness.MODEL_PATH)
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument("--c", type=float, default=C, help="inverse L2 regularisation strength")
        parser.add_argument("--tune", action="store_true", help="first print a grouped CV over a few C")

    def handle(self, *args, data: Path, out: Path, seed: int, c: float, tune: bool, **options):
        try:
            splits = [read_split(data / f"{name}.tsv") for name in ("train", "dev", "dev-test")]
        except OSError as exc:
            raise CommandError(f"cannot read CT24 data in {data}: {exc}") from None
        np.random.seed(seed)  # nothing here draws random numbers; fixed in case a solver ever does
        trained = train(*splits, seed=seed, c=c, log=self.stdout.write, tune=tune)
        meta = {
            "features": features.VERSION,
            "fingerprint": features.fingerprint(),
            "model": "logistic regression (scikit-learn lbfgs, class_weight=balanced)",
            "C": c,
            "seed": seed,
            "trained_on": "CheckThat! 2024 Task 1 English train + dev (ClaimBuster debates 1960-2016)",
            "threshold_picked_on": "CheckThat! 2024 Task 1 English dev-test",
            "licence": "data: free for general research use (CheckThat! lab); see models/README.md",
            "rows": {name: len(s.texts) for name, s in zip(("train", "dev", "dev-test"), splits, strict=True)},
            "report": {
                k: {at: [round(v, 4) for v in prf_] for at, prf_ in rows.items()} for k, rows in trained.report.items()
            },
        }
        write_model(out, trained, meta)
        self.stdout.write(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB), threshold {trained.threshold:.2f}")
        if trained.threshold != checkworthiness.THRESHOLD:
            self.stdout.write(
                self.style.WARNING(
                    f"checkworthiness.THRESHOLD is {checkworthiness.THRESHOLD}: set it to {trained.threshold:.2f}"
                )
            )
