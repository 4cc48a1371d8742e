"""Check-worthiness: a score in 0..1 per unit and the threshold that decides yes/no.

A logistic regression over the features of ``features`` (hashed word 1-2-grams, char 2-5-grams
per word, a few dense counts), trained by ``manage.py train_checkworthiness`` on CheckThat! 2024
Task 1 (ClaimBuster debates); see ``models/README.md`` for provenance, licence and figures.

The model is linear, so a unit's score needs no feature vector: the contribution of each
whitespace-separated chunk ("summit," or "3.5%": its tokens' unigram and char n-gram weights, its
inner bigrams, its dense flags) is computed once, vectorised over all new chunks of a batch, and
kept in a bounded cache. A batch is then one ``str.split`` per unit, one dict lookup per chunk and
a few numpy reductions; a test checks the result equals the weights times the training features.
The weights file is a plain ``.npz`` read with ``allow_pickle=False``. Runtime needs numpy only.
"""

import json
import threading
from operator import itemgetter
from pathlib import Path

import numpy as np

from . import features

MODEL_PATH = Path(__file__).resolve().parent / "models" / "checkworthiness.npz"

# Units scoring at or above this are decided check-worthy. The training command stores the
# threshold it picked in the model file, and a test keeps the two equal (models/README.md says why).
THRESHOLD = 0.38

# Chunks (whitespace-separated strings) kept in the cache before it is cleared: about 400 bytes
# each (row, keys, dict entry, string), so a full cache holds under 25 MB.
MAX_CHUNKS = 50_000


# Joins a batch's units into one string to split: a chunk of no tokens that text rarely holds.
_SEPARATOR = " \x00 "

# The columns of a chunk's cached row.
_TOKENS, _WORD, _CHARS, _CHAR_COUNT, _FLAGS, _CAP_FIRST = range(6)
_UNIT = slice(6, 9)  # the counts of features.UNIT_FLAGS
_COLUMNS = 9


class Model:
    """The loaded weights and a bounded cache of each chunk's contribution to a unit's score.

    A chunk ("summit," or "3.5%") is a whitespace-separated string of zero or more tokens. Its
    cached row holds all a unit needs from it: its token count; the weights of its tokens'
    unigrams and of the bigrams inside it; its tokens' char n-gram weights and their count; its
    weighted linear flags; its counts of the capped flags (digits, capitalised, acronyms); the
    capital flag of its first token; and (in a second array) the keys of its first and last
    token, for the bigrams from one chunk to the next.
    """

    def __init__(self, path: Path = MODEL_PATH):
        with np.load(path, allow_pickle=False) as npz:
            meta = json.loads(str(npz["meta"]))
            if meta.get("features") != features.VERSION:
                raise ValueError(f"{path}: features {meta.get('features')!r}, code has {features.VERSION!r}")
            self.word = npz["word"].astype(np.float64)
            self.char = npz["char"].astype(np.float64)
            self.dense = npz["dense"].astype(np.float64)
            self.bias = float(npz["bias"])
            self.threshold = float(npz["threshold"])
        self.meta = meta
        n_linear = len(features.LINEAR_FLAGS)
        self._flag_weights = np.zeros(len(features.FLAG_NAMES))
        self._flag_weights[features.LINEAR_FLAGS] = self.dense[:n_linear]
        self._unit_weights = self.dense[n_linear:]
        self._lock = threading.Lock()
        self._clear()

    def _clear(self) -> None:
        self._index: dict[str, int] = {}
        self._rows = np.zeros((1024, _COLUMNS))
        self._keys = np.zeros((1024, 2), dtype=np.uint64)

    def _chunk_ids(self, chunks: list[str]) -> np.ndarray:
        try:
            return self._lookup(chunks)
        except KeyError:
            pass
        if len(self._index) > MAX_CHUNKS:
            self._clear()
        self._add([c for c in dict.fromkeys(chunks) if c not in self._index])
        return self._lookup(chunks)

    def _lookup(self, chunks: list[str]) -> np.ndarray:
        """The cached row of each chunk (KeyError for a new one). itemgetter looks all chunks up
        in one C loop: a third faster than map over ``dict.__getitem__`` (hashing the fresh
        strings of ``str.split`` is most of the cost either way)."""
        if len(chunks) < 2:  # itemgetter of one key returns the value, not a tuple
            return np.array([self._index[c] for c in chunks], dtype=np.int64)
        return np.fromiter(itemgetter(*chunks)(self._index), dtype=np.int64, count=len(chunks))

    def _add(self, new: list[str]) -> None:
        """Compute the rows of new chunks, token by token but vectorised over all of them."""
        types, tid, starts = features.tokenize_chunks(new)
        tf = features.type_features(types)
        n = len(new)
        heads = starts[:-1][starts[:-1] < starts[1:]]
        keys = tf.key[tid]
        # Bigrams inside a chunk: every token but a chunk's first pairs with the token before it.
        inner = np.ones(len(tid), dtype=bool)
        inner[heads] = False
        prev = np.empty(len(tid), dtype=np.uint64)
        prev[1:] = keys[:-1]
        word = self.word[tf.word_bucket[tid]]
        word[inner] += self.word[features.pair_buckets(prev[inner], keys[inner])]
        type_chars = np.bincount(tf.char_owner, weights=self.char[tf.char_bucket], minlength=len(types))
        type_count = np.bincount(tf.char_owner, minlength=len(types))
        flags = tf.flags[tid]

        # Per token, the columns of the chunk row that are sums over its tokens; then one sum per chunk.
        per_token = np.empty((len(tid), _COLUMNS))
        per_token[:, _TOKENS] = 1.0
        per_token[:, _WORD] = word
        per_token[:, _CHARS] = type_chars[tid]
        per_token[:, _CHAR_COUNT] = type_count[tid]
        per_token[:, _FLAGS] = flags @ self._flag_weights
        per_token[:, _CAP_FIRST] = 0.0
        per_token[:, _UNIT] = flags[:, features.UNIT_FLAGS]
        rows = features.sums(per_token, starts)
        nonempty = rows[:, _TOKENS] > 0
        rows[nonempty, _CAP_FIRST] = flags[heads, features.CAPITALISED]
        keys_out = np.zeros((n, 2), dtype=np.uint64)
        keys_out[nonempty, 0] = keys[heads]
        keys_out[nonempty, 1] = keys[starts[1:][nonempty] - 1]

        base = len(self._index)
        if base + n > len(self._rows):  # grow by doubling: amortised O(1) per chunk
            size = max(2 * len(self._rows), base + n)
            self._rows = np.concatenate([self._rows, np.zeros((size - len(self._rows), _COLUMNS))])
            self._keys = np.concatenate([self._keys, np.zeros((size - len(self._keys), 2), dtype=np.uint64)])
        self._rows[base : base + n] = rows
        self._keys[base : base + n] = keys_out
        self._index.update(zip(new, range(base, base + n), strict=True))

    def logits(self, units: list[str]) -> np.ndarray:
        """1. split units into chunks; 2. look chunks up, computing new ones; 3. drop chunks
        without tokens; 4. add up the chunks' rows per unit, plus the bigrams from chunk to chunk
        and the two per-unit features."""
        n = len(units)
        # The chunks of all units in one str.split of the units joined by a NUL chunk (cached as a
        # chunk without tokens, so it is left out below like "--"); the NULs before a chunk count
        # its unit. Only a unit holding a NUL chunk of its own needs the unit-by-unit split.
        chunks = _SEPARATOR.join(units).split()
        with self._lock:  # arrays may be replaced by a growing cache: ids must index the arrays they came with
            ids = self._chunk_ids(chunks)
            if n < 2:  # no separator
                unit = np.zeros(len(ids), dtype=np.int64)
            else:
                separators = ids == self._index["\x00"]
                if np.count_nonzero(separators) == n - 1:
                    unit = np.cumsum(separators)
                else:
                    chunks, starts = features.split_units(units)
                    unit = features.segment_of(starts)
                    ids = self._chunk_ids(chunks)
            keep = self._rows[ids, _TOKENS] > 0  # chunks of punctuation only ("--") are left out
            ids, unit = ids[keep], unit[keep]
            rows, keys = np.take(self._rows, ids, axis=0), np.take(self._keys, ids, axis=0)
        kept = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(unit, minlength=n), out=kept[1:])
        nonempty = kept[:-1] < kept[1:]
        heads = kept[:-1][nonempty]
        # The bigrams from chunk to chunk join the word column (``rows`` is a copy); then one
        # reduceat adds up every column per unit (numpy's per-call cost dominates at article size).
        rows[:, _WORD] += self.word[features.pair_buckets(features.previous_keys(keys[:, 1], kept), keys[:, 0])]
        per = np.zeros((n, _COLUMNS))
        if len(heads):
            per[nonempty] = np.add.reduceat(rows, heads, axis=0)
            per[nonempty, _UNIT.start + 1] -= rows[heads, _CAP_FIRST]  # a capital at the start says nothing
        lengths = per[:, _TOKENS]
        sw, sc = features.block_scales(lengths, per[:, _CHAR_COUNT])
        per_unit = features.unit_features(lengths, per[:, _UNIT])
        return per[:, _WORD] * sw + per[:, _CHARS] * sc + per[:, _FLAGS] + per_unit @ self._unit_weights + self.bias

    def score(self, units: list[str]) -> list[float]:
        if not units:
            return []
        # The logistic function as tanh: no overflow warning for very negative logits.
        return (0.5 + 0.5 * np.tanh(0.5 * self.logits(units))).tolist()


_model: Model | None = None
_model_lock = threading.Lock()


def model() -> Model:
    """The shipped model, loaded once per process on first use."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = Model()
    return _model


def score(units: list[str]) -> list[float]:
    """One score in 0..1 per unit; batches are much faster per unit than single calls."""
    return model().score(units)
