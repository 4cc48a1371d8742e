"""Features of the check-worthiness model, shared by training and scoring (no train/serve skew).

A unit becomes three blocks of features:

- words: hashed word unigrams and bigrams (with a start-of-unit marker), numbers reduced to
  their shape ("2,035" -> "0,000");
- chars: hashed character 2..5-grams of each word written as "<word>", summed over the words;
- dense: a few handcrafted counts (numbers, years, percentages, money, comparatives,
  superlatives, first person, modals, attribution verbs, capitalised names, question marks, length).

Speed is the design constraint (the scorer must run at several MB/s in pure Python + numpy):
everything about a word type (normalisation, hashes, n-grams, flags) is computed vectorised over
all new types of a batch and cached by the caller (per whitespace-separated chunk, see
``checkworthiness``); per token there is no Python work beyond a regex and a dict lookup.
The word and char blocks are scaled by 1/sqrt(count) rather than by their exact L2 norm, and the
dense counts stay linear (except a few capped ones computed per unit), so that a linear model's
score is a sum of cached per-chunk scores. ``design`` builds the same features token by token,
as training needs them. Hashes are stable across processes and platforms (crc32, 32-bit FNV-1a,
murmur finalisers; never Python's salted ``hash()``).
"""

import re
import zlib
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

VERSION = "cw-features-1"
WORD_BITS = 18
CHAR_BITS = 18
CHAR_NGRAMS = (2, 5)

# Numbers (with inner separators), words (letters, inner apostrophes), and the few symbols that carry meaning.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|[?!%$€£¥]")
_TOKEN_OR_NEWLINE = re.compile(_TOKEN.pattern + r"|\n")
_DIGIT = re.compile(r"\d")

_U64 = np.uint64
_U32 = np.uint32
_FNV32_OFFSET = _U32(0x811C9DC5)
_FNV32_PRIME = _U32(0x01000193)
_MIX1 = _U64(0xFF51AFD7ED558CCD)
_MIX2 = _U64(0xC4CEB9FE1A85EC53)


def _words(*groups: str) -> frozenset[str]:
    return frozenset(w for group in groups for w in group.split())


# Per-type flags, summed per unit into the dense block. Lists are lower case; "'" is the apostrophe.
_LEXICON: dict[str, frozenset[str]] = {
    "number_word": _words(
        "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty",
        "sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion billions",
        "trillion trillions dozen dozens half twice double doubled triple tripled quarter third percent",
    ),
    "percent": _words("% percent percentage per cent"),
    "money": _words("$ € £ ¥ dollar dollars cents euro euros pounds budget deficit debt tax taxes"),
    "unit": _words(
        "year years month months week weeks day days hour hours miles mile kilometers acres tons barrels",
        "gallons times points jobs people per average rate",
    ),
    "comparative": _words(
        "more less fewer greater higher lower larger smaller bigger better worse faster slower",
        "longer shorter cheaper increase increased decrease decreased rose fell grew grown cut cuts doubled",
    ),
    "than": _words("than"),
    "superlative": _words(
        "most least best worst largest highest lowest biggest smallest fastest greatest first last only",
        "record ever never",
    ),
    "first_singular": _words("i me my mine i'm i've i'll i'd myself"),
    "first_plural": _words("we us our ours we're we've we'll we'd ourselves"),
    "second_person": _words("you your yours you're you've you'll you'd"),
    "modal": _words("will would could should might may must can shall 'll gonna going"),
    "past": _words("was were had did been"),
    "perfect": _words("has have has've"),
    "negation": _words("not no never nothing nobody n't don't doesn't didn't isn't wasn't won't can't"),
    "attribution": _words(
        "said says say told according stated claimed reported announced noted added warned argued",
        "insisted denied admitted",
    ),
    "opinion": _words(
        "think believe feel want hope wish love like hate great terrible wonderful need should let's",
        "guess sure happy proud",
    ),
    "question": _words("?"),
    "exclamation": _words("!"),
}
FLAG_NAMES = (*_LEXICON, "digits", "year", "past_ed", "capitalised", "acronym")
_N_FLAGS = len(FLAG_NAMES)
# Flags counted per unit and then capped (``unit_features``); the others enter as plain counts.
UNIT_FLAGS = [FLAG_NAMES.index(name) for name in ("digits", "capitalised", "acronym")]
LINEAR_FLAGS = [i for i, name in enumerate(FLAG_NAMES) if name not in ("capitalised", "acronym")]
DENSE_NAMES = (*(FLAG_NAMES[i] for i in LINEAR_FLAGS), "names", "acronyms", "length", "has_number")
# News sentences are longer and denser in names than debate speech: capped, these features say
# "long" and "names" without extrapolating past what the training data shows.
MAX_LENGTH = 25
MAX_NAMES = 2


@dataclass(frozen=True)
class TypeFeatures:
    """Per word type: the word bucket, a 32-bit key for bigrams, dense flags, and the char n-grams
    (``char_owner[k]`` is the index of the type that n-gram ``char_bucket[k]`` belongs to)."""

    word_bucket: np.ndarray  # int64[n]
    key: np.ndarray  # uint64[n]
    flags: np.ndarray  # float32[n, len(FLAG_NAMES)]
    char_owner: np.ndarray  # int64[m]
    char_bucket: np.ndarray  # int64[m]


def normalise(types: list[str]) -> list[str]:
    """The forms tokens are hashed under: lower case, curly apostrophe straight, digits as 0."""
    forms = [t.lower() for t in types]
    for i in [i for i, f in enumerate(forms) if "’" in f or f[:1].isdigit()]:
        form = forms[i].replace("’", "'")
        forms[i] = _DIGIT.sub("0", form) if form[:1].isdigit() else form
    return forms


def tokenize(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """All tokens of all texts, in order, and the start offset of each text's tokens (length n+1)."""
    findall = _TOKEN.findall
    tokens: list[str] = []
    starts = [0]
    for text in texts:
        tokens += findall(text)
        starts.append(len(tokens))
    return tokens, np.array(starts, dtype=np.int64)


def tokenize_chunks(chunks: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``tokenize`` for strings without whitespace, in one regex pass, as distinct types: returns
    the types, each token's type index and each chunk's start offset. A newline joins the chunks
    and is matched as a separator (no token contains one, so the tokens are those of ``tokenize``)."""
    found = _TOKEN_OR_NEWLINE.findall("\n".join(chunks) + "\n")
    index = dict.fromkeys(found)
    index.pop("\n")
    types = list(index)
    index.update(zip(types, range(len(types)), strict=True))
    index["\n"] = -1
    tid = np.fromiter(map(index.__getitem__, found), dtype=np.int64, count=len(found))
    sep_at = np.flatnonzero(tid < 0)
    starts = np.empty(len(chunks) + 1, dtype=np.int64)
    starts[0] = 0
    starts[1:] = sep_at - np.arange(len(sep_at))  # tokens before each separator, separators left out
    return types, tid[tid >= 0], starts


def split_units(units: list[str]) -> tuple[list[str], np.ndarray]:
    """The whitespace-separated chunks of all units and each unit's start offset (length n+1).

    No token spans whitespace, so a unit's tokens are its chunks' tokens in order: the scorer
    caches per chunk, because ``str.split`` is several times faster than the token regex.
    """
    chunks: list[str] = []
    starts = [0]
    for unit in units:
        chunks += unit.split()
        starts.append(len(chunks))
    return chunks, np.array(starts, dtype=np.int64)


def type_features(types: list[str]) -> TypeFeatures:
    """Everything about a batch of distinct raw tokens, vectorised where it counts."""
    forms = normalise(types)
    key = np.array([zlib.crc32(f.encode("utf-8", "surrogatepass")) for f in forms], dtype=np.uint64)
    word_bucket = (key & _U64((1 << WORD_BITS) - 1)).astype(np.int64)
    # Every form as "<form>", as one array of code points: the n-grams and some flags read it.
    cp = np.frombuffer(("<" + "><".join(forms) + ">").encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms)) + 2
    ends = np.cumsum(lengths)
    char_owner, char_bucket = _char_ngrams(cp, lengths, ends)
    return TypeFeatures(word_bucket, key, _flags(types, forms, cp, lengths, ends), char_owner, char_bucket)


def _flags(types: list[str], forms: list[str], cp: np.ndarray, lengths: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The flags of each type; list comprehensions are kept to the few tests numpy cannot do."""
    n = len(types)
    flags = np.zeros((n, _N_FLAGS), dtype=np.float32)
    if not n:
        return flags
    rows = list(map(_LEXICON_ROWS.get, forms))
    hits = [i for i, row in enumerate(rows) if row is not None]
    if hits:
        flags[hits, : len(_LEXICON)] = [rows[i] for i in hits]
    lex = len(_LEXICON)
    first = ends - lengths + 1  # the first code point of each form in cp ("<" comes before it)
    digits = cp[first] == ord("0")  # digits are 0 in forms
    flags[:, lex] = digits
    four_digits = np.flatnonzero(digits & (lengths == 6))
    flags[four_digits, lex + 1] = [types[i][:2] in ("19", "20") and types[i].isdigit() for i in four_digits]
    flags[:, lex + 2] = (lengths > 6) & (cp[ends - 3] == ord("e")) & (cp[ends - 2] == ord("d"))  # "-ed" words
    upper = np.fromiter(map(str.isupper, types), dtype=bool, count=n)
    flags[:, lex + 3] = np.fromiter(map(str.isupper, map(itemgetter(0), types)), dtype=bool, count=n)
    flags[:, lex + 4] = upper & (lengths > 3)  # acronyms: all capitals, two letters or more
    return flags


_LEXICON_ROWS = {
    word: np.array([word in words for words in _LEXICON.values()], dtype=np.float32)
    for words in _LEXICON.values()
    for word in words
}


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads every input bit over the low bits used as buckets."""
    h = h ^ (h >> _U64(33))
    h = h * _MIX1
    h = h ^ (h >> _U64(33))
    h = h * _MIX2
    return h ^ (h >> _U64(33))


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser."""
    h = h ^ (h >> _U32(16))
    h = h * _U32(0x85EBCA6B)
    h = h ^ (h >> _U32(13))
    h = h * _U32(0xC2B2AE35)
    return h ^ (h >> _U32(16))


def _char_ngrams(cp: np.ndarray, lengths: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Buckets of the 2..5-grams of each "<form>" in ``cp``, with the index of their form (not
    grouped by form): 32-bit FNV-1a over code points, one numpy pass per n."""
    if not len(lengths):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    owner_of_char = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    room = ends[owner_of_char] - np.arange(len(cp), dtype=np.int64)  # chars left in the form from here
    lo, hi = CHAR_NGRAMS
    hashes = np.zeros((hi - lo + 1, len(cp)), dtype=np.uint32)
    h = (_FNV32_OFFSET ^ cp) * _FNV32_PRIME
    for n in range(2, hi + 1):
        h = (h[:-1] ^ cp[n - 1 :]) * _FNV32_PRIME  # h[i] is now the hash of cp[i : i + n]
        if n >= lo:
            hashes[n - lo, : len(h)] = h
    # One mask for all n: an n-gram starting at i exists if the form has n chars left from i.
    valid = room >= np.arange(lo, hi + 1)[:, None]
    buckets = _fmix32(hashes[valid]) & _U32((1 << CHAR_BITS) - 1)
    owners = np.broadcast_to(owner_of_char, valid.shape)[valid]
    return owners, buckets.astype(np.int64)


BOS_KEY = zlib.crc32(b"\x02<s>")  # the key of the start-of-unit marker before a unit's first token


def pair_buckets(prev: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Word-block bucket of each bigram (previous type key, type key)."""
    return (_fmix64((prev << _U64(32)) | keys) & _U64((1 << WORD_BITS) - 1)).astype(np.int64)


def previous_keys(last: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The key before each item of a segmented sequence: ``last`` of the item before, or the
    start marker at the head of a segment (``last`` is the item's own key for tokens, the key
    of its last token for a chunk)."""
    prev = np.empty(len(last), dtype=np.uint64)
    prev[1:] = last[:-1]
    prev[starts[:-1][starts[:-1] < starts[1:]]] = BOS_KEY
    return prev


def segment_of(starts: np.ndarray) -> np.ndarray:
    """The segment (unit) index of each item, from segment offsets."""
    return np.repeat(np.arange(len(starts) - 1, dtype=np.int64), np.diff(starts))


def sums(rows: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Column sums of ``rows`` per segment (segments given by offsets; empty ones sum to 0)."""
    out = np.zeros((len(starts) - 1, rows.shape[1]), dtype=np.float64)
    nonempty = starts[:-1] < starts[1:]
    if nonempty.any():
        out[nonempty] = np.add.reduceat(rows, starts[:-1][nonempty], axis=0, dtype=np.float64)
    return out


CAPITALISED = FLAG_NAMES.index("capitalised")


def dense(counts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The dense block per unit from its flag counts (the first token's capital not counted: it
    says nothing) and its length: the linear counts, then ``unit_features``. Counts stay linear
    so that a scorer can cache their weighted sum per chunk."""
    return np.hstack([counts[:, LINEAR_FLAGS], unit_features(lengths, counts[:, UNIT_FLAGS])])


def unit_features(lengths: np.ndarray, unit_counts: np.ndarray) -> np.ndarray:
    """Capped capitalised words and acronyms, capped log length and has-a-number, per unit
    (``unit_counts`` holds the counts of the ``UNIT_FLAGS``: digits, capitalised, acronyms)."""
    # Filled column by column: np.column_stack is Python code that costs more than all four columns.
    out = np.empty((len(lengths), 4))
    out[:, 0] = np.minimum(unit_counts[:, 1], MAX_NAMES)
    out[:, 1] = np.minimum(unit_counts[:, 2], MAX_NAMES)
    out[:, 2] = np.log1p(np.minimum(lengths, MAX_LENGTH)) / 4.0
    out[:, 3] = unit_counts[:, 0] > 0
    return out


def block_scales(lengths: np.ndarray, char_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """1/sqrt(number of features) per unit for the word block (unigrams + bigrams) and the char block.

    Not the exact L2 norm: this needs no per-feature counting, so the scorer can add up cached
    per-type scores."""
    words = 1.0 / np.sqrt(np.maximum(2 * lengths, 1))
    chars = 1.0 / np.sqrt(np.maximum(char_counts, 1))
    return words, chars


@dataclass(frozen=True)
class Design:
    """The explicit feature matrix of a batch, as COO triplets per block (training and tests)."""

    n_units: int
    word: tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, columns, values
    char: tuple[np.ndarray, np.ndarray, np.ndarray]
    dense: np.ndarray


def design(units: list[str]) -> Design:
    """The features of ``units``, token by token: the reference the scorer's cached sums must equal."""
    tokens, starts = tokenize(units)
    n = len(units)
    types = list(dict.fromkeys(tokens))
    index = {t: i for i, t in enumerate(types)}
    ids = np.array([index[t] for t in tokens], dtype=np.int64)
    tf = type_features(types)
    unit = segment_of(starts)
    lengths = np.diff(starts)
    per_type = np.bincount(tf.char_owner, minlength=len(types))
    sw, sc = block_scales(lengths, np.bincount(unit, weights=per_type[ids], minlength=n))
    keys = tf.key[ids]
    prev = previous_keys(keys, starts)
    w_rows = np.concatenate([unit, unit])
    w_cols = np.concatenate([tf.word_bucket[ids], pair_buckets(prev, keys)])
    # Each token expands into its type's n-grams.
    order = np.argsort(tf.char_owner, kind="stable")
    char_bucket = tf.char_bucket[order]
    type_start = np.concatenate([[0], np.cumsum(per_type)])
    reps = per_type[ids]
    token_of = np.repeat(np.arange(len(ids)), reps)
    offset = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    c_cols = char_bucket[type_start[ids][token_of] + offset]
    c_rows = unit[token_of]
    flags = tf.flags[ids]
    counts = sums(flags, starts)
    nonempty = lengths > 0
    counts[nonempty, CAPITALISED] -= flags[starts[:-1][nonempty], CAPITALISED]  # a capital at the start says nothing
    return Design(n, (w_rows, w_cols, sw[w_rows]), (c_rows, c_cols, sc[c_rows]), dense(counts, lengths))


_PROBES = (
    "NATO's 32 countries agreed to spend 3.5% of GDP by 2035, officials said.",
    '"Let\'s not allow barriers," Rutte said -- and I visited Türkiye’s firms.',
    "Unemployment fell to 4 percent, more than ever before in the U.S.?!",
)


def fingerprint() -> str:
    """A checksum of the features of a few probe sentences: stored with a trained model, it
    shows whether the featuriser has changed since (which would silently skew its scores)."""
    d = design(list(_PROBES))
    crc = 0
    for rows, cols, values in (d.word, d.char):
        order = np.lexsort((cols, rows))
        for part in (rows[order], cols[order], np.round(values[order], 6)):
            crc = zlib.crc32(np.ascontiguousarray(part, dtype=np.float64).tobytes(), crc)
    crc = zlib.crc32(np.round(d.dense, 6).tobytes(), crc)
    return f"{crc:08x}"
