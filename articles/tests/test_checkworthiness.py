"""The check-worthiness model: a safe model file, scores in 0..1, the scorer's cached sums equal to
the training features, and reproducible training."""

import io
import json

import numpy as np
import pytest
from django.core.management import call_command

from articles.extraction import checkworthiness, features
from articles.extraction.checkworthiness import MODEL_PATH, THRESHOLD, Model, score

STRANGE_UNITS = [
    "",
    " ",
    "\n\t\r",
    "...",
    '"--"',
    "?",
    "日本の経済は3.5%成長した。",
    "Türkiye’s défense budget rose 12 %, Zelenskyy’s aides said.",
    "مرحبا بالعالم 2024",
    "emoji 😀🇺🇦 and combining e\u0301 and zero\u200bwidth",
    "\x00\x01\x1f control \x7f chars",
    "lone surrogate \ud800 here",
    "U.S.-led NATO's 32 members spent $1.3 trillion in 2023.",
    "İstanbul ﬁnance ǅ titlecase",
    "a" * 20_000,
    "word " * 20_000,
]


@pytest.fixture(scope="module")
def model() -> Model:
    return checkworthiness.model()


def test_model_file_loads_without_pickle():
    with np.load(MODEL_PATH, allow_pickle=False) as npz:
        assert set(npz.files) == {"word", "char", "dense", "bias", "threshold", "meta"}
        assert npz["word"].shape == (1 << features.WORD_BITS,)
        assert npz["char"].shape == (1 << features.CHAR_BITS,)
        assert npz["dense"].shape == (len(features.DENSE_NAMES),)
        meta = json.loads(str(npz["meta"]))
    assert meta["features"] == features.VERSION
    # Changing the featuriser without retraining would skew every score: retrain (and bump VERSION).
    assert meta["fingerprint"] == features.fingerprint()
    assert "research" in meta["licence"]


def test_model_file_is_small():
    assert MODEL_PATH.stat().st_size < 5_000_000


def test_stored_threshold_is_the_module_threshold(model):
    assert model.threshold == pytest.approx(THRESHOLD, abs=1e-9)


def test_empty_input_gives_no_scores():
    assert score([]) == []


def test_scores_are_floats_in_0_1(model):
    units = ["The unemployment rate fell to 3.5% in 2019.", "Thank you.", *STRANGE_UNITS]
    scores = score(units)
    assert len(scores) == len(units)
    assert all(type(s) is float and 0.0 <= s <= 1.0 for s in scores)


def test_a_batch_scores_like_one_unit_at_a_time():
    units = ["We cut taxes by 20 percent.", "I love this country.", *STRANGE_UNITS, "We cut taxes by 20 percent."]
    fresh = Model()
    one_by_one = [fresh.score([u])[0] for u in units]
    assert Model().score(units) == pytest.approx(one_by_one, abs=1e-12)


def test_cached_sums_equal_the_training_features(model):
    """The scorer's per-chunk cache must give exactly the linear model over ``features.design``
    (what training sees): the guard against train/serve skew."""
    units = [
        "NATO's 32 countries agreed to spend 3.5% of GDP on defense by 2035, officials said.",
        '"Let\'s not allow barriers to be put up in NATO," Rutte said.',
        "He said -- and I quote -- that Ohio lost 200,000 jobs.",
        *STRANGE_UNITS[:-2],
    ]
    d = features.design(units)
    expected = np.full(len(units), model.bias) + d.dense @ model.dense
    for (rows, cols, values), weights in ((d.word, model.word), (d.char, model.char)):
        expected += np.bincount(rows, weights=values * weights[cols], minlength=len(units))
    assert model.logits(units) == pytest.approx(expected, abs=1e-9)


def test_scores_survive_the_cache_being_cleared(monkeypatch):
    units = [f"Sentence {i} says {i * 7} things about topic{i}." for i in range(50)]
    expected = Model().score(units)
    monkeypatch.setattr(checkworthiness, "MAX_CHUNKS", 10)
    small = Model()
    assert [small.score([u])[0] for u in units] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    "plain,with_number",
    [
        ("Unemployment went down in Ohio.", "Unemployment went down 3 percent in Ohio."),
        ("We spent money on schools.", "We spent $40 billion on schools."),
        ("Crime has gone up in our cities.", "Crime has gone up 12% in our cities since 2015."),
    ],
)
def test_numbers_raise_the_score(plain, with_number):
    before, after = score([plain, with_number])
    assert after > before


def test_clear_cases_fall_on_the_right_side():
    claim, chatter = score(["The deficit doubled to $1.4 trillion in 2009.", "Thank you very much, everybody."])
    assert claim >= THRESHOLD > chatter


# --- training -------------------------------------------------------------------------------

POSITIVE = [
    "Unemployment rose to {n} percent last year.",
    "We spent ${n} billion on defense in {y}.",
    "Taxes went up {n}% for the middle class.",
    "The deficit doubled to {n} trillion dollars since {y}.",
]
NEGATIVE = [
    "Thank you, it is good to be here number {n}.",
    "I think we can do better together.",
    "Let me tell you what I believe.",
    "Well, that's a great question.",
]


def _tiny_ct24(folder, rows_per_split=(40, 12, 12)):
    """Write CT24-shaped train/dev/dev-test files of template sentences."""
    folder.mkdir()
    sid = 0
    for name, count in zip(("train", "dev", "dev-test"), rows_per_split, strict=True):
        lines = ["Sentence_id\tText\tclass_label"]
        for i in range(count):
            sid += 1
            positive = i % 2 == 0
            template = (POSITIVE if positive else NEGATIVE)[i % 4]
            text = template.format(n=i + 3, y=1990 + i)
            lines.append(f"{sid}\t{text}\t{'Yes' if positive else 'No'}")
        (folder / f"{name}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_training_is_reproducible(tmp_path):
    data = _tiny_ct24(tmp_path / "ct24")
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    for out in (first, second):
        call_command("train_checkworthiness", data=data, out=out, seed=13, stdout=io.StringIO())
    assert first.read_bytes() == second.read_bytes()
    trained = Model(first)
    assert trained.score(["Taxes went up 30% for the middle class."])[0] > trained.score(["Thank you."])[0]
    with np.load(first, allow_pickle=False) as npz:
        meta = json.loads(str(npz["meta"]))
    assert meta["seed"] == 13
    assert meta["rows"] == {"train": 40, "dev": 12, "dev-test": 12}
