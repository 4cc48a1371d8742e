"""Train the optional MiniLM check-worthiness head on CheckThat! 2024 Task 1 English.

    python manage.py train_checkworthiness_minilm [--data ../shared/data/ct24]
        [--out articles/extraction/models/checkworthiness-minilm.npz] [--seed 13]

Needs the extra (requirements-embeddings.txt) and scikit-learn (requirements-dev.txt).

1. Embed every sentence with ``embedding_scorer.Encoder`` (the scorer's own code: no skew).
2. The default scorer's logit as one more feature. On train + dev it must be out-of-fold: the
   shipped default model was fitted on those very rows and is over-confident on them, so a head
   trained on its in-sample logits would lean on it too much. The command refits the default
   model (``train_checkworthiness``'s featuriser and fit, its C) on 5 grouped folds and takes
   each row's logit from the fold that did not see its debate. On dev-test the shipped default
   model gives the logit, exactly as at run time.
3. Choose C by grouped 5-fold cross-validation over train + dev (whole debates held out, as
   ``train_checkworthiness --tune`` does): best F1 at the best cut-off, ties to the smaller C.
4. Fit on train + dev (features standardised; the scaling is folded into the stored weights),
   pick the threshold on dev-test (``train_checkworthiness.pick_threshold``: F1 smoothed over
   +-0.05) and report dev-test P/R/F1. Dev-test is used for nothing else.
5. Write weights, threshold and provenance with ``allow_pickle=False`` into a zip with fixed
   timestamps: running the command twice gives the same bytes (one thread, lbfgs, no shuffling).
"""

import hashlib
import json
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from articles.extraction import checkworthiness, embedding_scorer
from articles.management.commands.train_checkworthiness import (
    DEFAULT_DATA,
    THRESHOLD_GRID,
    fit,
    matrix,
    pick_threshold,
    prf,
    read_split,
    write_npz,
)

C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
FOLDS = 5


def out_of_fold_logits(texts: list[str], y: np.ndarray, groups: np.ndarray, *, c: float, seed: int) -> np.ndarray:
    """The default scorer's logit of each row from a default model fitted without its debate."""
    from sklearn.model_selection import GroupKFold

    x = matrix(texts)
    out = np.zeros(len(y))
    for train_rows, test_rows in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        w, b = fit(x[train_rows], y[train_rows], c=c, seed=seed)
        out[test_rows] = x[test_rows] @ w + b
    return out


def fit_head(x: np.ndarray, y: np.ndarray, *, c: float, seed: int) -> tuple[np.ndarray, float]:
    """Logistic regression on standardised columns, returned as weights over the raw columns."""
    from sklearn.linear_model import LogisticRegression

    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    model = LogisticRegression(C=c, class_weight="balanced", solver="lbfgs", max_iter=5000, random_state=seed)
    model.fit((x - mean) / std, y)
    w = model.coef_[0] / std
    return w, float(model.intercept_[0] - mean @ w)


def probabilities(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return 0.5 + 0.5 * np.tanh(0.5 * (x @ w + b))  # the scorer's own form


def grouped_cv_f1(x: np.ndarray, y: np.ndarray, groups: np.ndarray, *, c: float, seed: int) -> tuple[float, float]:
    """Best F1 of out-of-fold probabilities (whole debates held out) and the cut-off giving it."""
    from sklearn.model_selection import GroupKFold

    oof = np.zeros(len(y))
    for train_rows, test_rows in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        w, b = fit_head(x[train_rows], y[train_rows], c=c, seed=seed)
        oof[test_rows] = probabilities(x[test_rows], w, b)
    best = max(THRESHOLD_GRID, key=lambda t: prf(y, oof >= t)[2])
    return prf(y, oof >= best)[2], float(best)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_model(path: Path, weights: np.ndarray, bias: float, threshold: float, meta: dict) -> None:
    """An .npz (a zip of .npy files) without pickles and with fixed timestamps: reproducible bytes."""
    arrays = {
        "weights": np.asarray(weights, dtype=np.float64),
        "bias": np.float64(bias),
        "threshold": np.float64(threshold),
        "meta": np.str_(json.dumps(meta, sort_keys=True)),
    }
    write_npz(path, arrays)


class Command(BaseCommand):
    help = "Train the optional MiniLM check-worthiness head on CT24 and write it (weights, threshold, provenance)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with train/dev/dev-test.tsv")
        parser.add_argument("--out", type=Path, default=embedding_scorer.MODEL_PATH)
        parser.add_argument("--seed", type=int, default=13)

    def handle(self, *args, data: Path, out: Path, seed: int, **options):
        if not embedding_scorer.extra_installed():
            raise CommandError("the embeddings extra is missing: pip install --no-deps -r requirements-embeddings.txt")
        try:
            train, dev, dev_test = (read_split(data / f"{name}.tsv") for name in ("train", "dev", "dev-test"))
        except OSError as exc:
            raise CommandError(f"cannot read CT24 data in {data}: {exc}") from None
        np.random.seed(seed)  # nothing here draws random numbers; fixed in case a solver ever does
        log = self.stdout.write

        texts = train.texts + dev.texts
        y = np.concatenate([train.labels, dev.labels])
        groups = np.concatenate([train.ids, dev.ids]) // 1000
        default = checkworthiness.model()
        default_c = float(default.meta["C"])
        log(f"out-of-fold default logits ({FOLDS} grouped folds, C={default_c:g}) ...")
        logits = out_of_fold_logits(texts, y, groups, c=default_c, seed=seed)
        log("embedding train + dev + dev-test ...")
        encoder = embedding_scorer.Encoder()
        x = embedding_scorer.features(texts, encoder, logits=logits)
        x_test = embedding_scorer.features(dev_test.texts, encoder)  # the run-time path, shipped default model

        scores = {}
        for c in C_GRID:
            f1, at = grouped_cv_f1(x, y, groups, c=c, seed=seed)
            scores[c] = round(f1, 3)
            log(f"grouped CV C={c:g}: best F1 {f1:.3f} at {at:.2f}")
        c = min(C_GRID, key=lambda value: (-scores[value], value))
        w, b = fit_head(x, y, c=c, seed=seed)
        test_probs = probabilities(x_test, w, b)
        threshold = pick_threshold(dev_test.labels, test_probs)
        default_probs = np.asarray(default.score(dev_test.texts))
        report = {
            "grouped CV F1 (train + dev, best cut-off)": {f"C={value:g}": f1 for value, f1 in scores.items()},
            "dev-test": {
                "at 0.5": [round(v, 4) for v in prf(dev_test.labels, test_probs >= 0.5)],
                f"at {threshold:.2f}": [round(v, 4) for v in prf(dev_test.labels, test_probs >= threshold)],
                f"default scorer at {checkworthiness.THRESHOLD:.2f}": [
                    round(v, 4) for v in prf(dev_test.labels, default_probs >= checkworthiness.THRESHOLD)
                ],
            },
        }
        for at, values in report["dev-test"].items():
            log(f"dev-test {at}: P={values[0]:.3f} R={values[1]:.3f} F1={values[2]:.3f}")

        meta = {
            "features": list(embedding_scorer.FEATURES),
            "model": "logistic regression (scikit-learn lbfgs, class_weight=balanced, standardised columns)",
            "C": c,
            "seed": seed,
            "folds": FOLDS,
            "trained_on": "CheckThat! 2024 Task 1 English train + dev (ClaimBuster debates 1960-2016)",
            "threshold_picked_on": "CheckThat! 2024 Task 1 English dev-test",
            "rows": {"train": len(train.texts), "dev": len(dev.texts), "dev-test": len(dev_test.texts)},
            "report": report,
            "encoder": {
                "package": embedding_scorer.SOURCE_PACKAGE,
                "version": embedding_scorer.SOURCE_VERSION,
                "model": embedding_scorer.SOURCE_MODEL,
                "licence": embedding_scorer.SOURCE_LICENCE,
                "weights_sha256": embedding_scorer.WEIGHTS_SHA256,
                "max_tokens": embedding_scorer.MAX_TOKENS,
                "pooling": "mean over real tokens, L2-normalised",
            },
            "default_model_sha256": sha256(checkworthiness.MODEL_PATH),
            "licence": "data: free for general research use (CheckThat! lab); encoder: Apache-2.0",
        }
        write_model(out, w, b, threshold, meta)
        log(f"wrote {out} ({out.stat().st_size / 1e3:.1f} kB, sha256 {sha256(out)}), threshold {threshold:.2f}")
        if threshold != embedding_scorer.THRESHOLD:
            self.stdout.write(
                self.style.WARNING(
                    f"embedding_scorer.THRESHOLD is {embedding_scorer.THRESHOLD}: set it to {threshold:.2f}"
                )
            )
