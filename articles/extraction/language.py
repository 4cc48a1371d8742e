"""Which language an article is in: an ISO 639-1 code, or "und" when unsure.

Offline, no model file and no dependency: the writing system decides most languages on its own
(Greek, Hebrew, Thai, Korean...); within a script shared by many languages (Latin, Cyrillic,
Arabic, Devanagari), the most common short words decide, as in the stop-word method of
Grefenstette (1995). Only the start of a long text is read (``SAMPLE_CHARS``).
"""

import bisect
import re
from collections import Counter

SAMPLE_CHARS = 1500
VOTE_CHARS = 600  # common words are common: 600 characters hold about 40 of them
UNDETERMINED = "und"

# Unicode blocks (first code point, script); a code point belongs to the last block starting at
# or before it. Gaps map to None.
_BLOCKS = [
    (0x0041, "latin"),
    (0x0250, None),
    (0x0370, "greek"),
    (0x0400, "cyrillic"),
    (0x0530, "armenian"),
    (0x0590, "hebrew"),
    (0x0600, "arabic"),
    (0x0700, None),
    (0x0750, "arabic"),
    (0x0780, None),
    (0x0900, "devanagari"),
    (0x0980, "bengali"),
    (0x0A00, "gurmukhi"),
    (0x0A80, "gujarati"),
    (0x0B00, None),
    (0x0B80, "tamil"),
    (0x0C00, "telugu"),
    (0x0C80, "kannada"),
    (0x0D00, "malayalam"),
    (0x0D80, "sinhala"),
    (0x0E00, "thai"),
    (0x0E80, "lao"),
    (0x0F00, "tibetan"),
    (0x1000, "myanmar"),
    (0x10A0, "georgian"),
    (0x1100, "hangul"),
    (0x1200, "ethiopic"),
    (0x13A0, None),
    (0x1780, "khmer"),
    (0x1800, None),
    (0x1E00, "latin"),
    (0x1F00, "greek"),
    (0x2000, None),
    (0x3040, "kana"),
    (0x3100, None),
    (0x3130, "hangul"),
    (0x3190, None),
    (0x3400, "han"),
    (0x4DC0, None),
    (0x4E00, "han"),
    (0xA000, None),
    (0xAC00, "hangul"),
    (0xD7B0, None),
    (0xF900, "han"),
    (0xFB00, None),
    (0xFB50, "arabic"),
    (0xFE00, None),
    (0xFE70, "arabic"),
    (0xFF00, None),
]
_BLOCK_STARTS = [start for start, _ in _BLOCKS]
# Scripts that one language writes (for this purpose).
_SCRIPT_LANGUAGE = {
    "greek": "el",
    "armenian": "hy",
    "hebrew": "he",
    "bengali": "bn",
    "gurmukhi": "pa",
    "gujarati": "gu",
    "tamil": "ta",
    "telugu": "te",
    "kannada": "kn",
    "malayalam": "ml",
    "sinhala": "si",
    "thai": "th",
    "lao": "lo",
    "tibetan": "bo",
    "myanmar": "my",
    "georgian": "ka",
    "hangul": "ko",
    "ethiopic": "am",
    "khmer": "km",
}

# The commonest words of each language, by script. A word in several lists votes for each.
_STOP_WORDS = {
    "latin": {
        "en": "the and of to is that it was for on are with as his they be at by this have from or had not but "
        "what were which their said has will would been who there an she he its after about also than we you",
        "de": "der die und das ist nicht mit den von sich des auf für ein eine dem zu im auch es werden wird hat "
        "sind wie bei oder aus nach noch aber wurde über einer einen sie ich er wir dass vor",
        "fr": "le la les des et est une un du dans que qui pour pas sur au avec ce il elle sont aux par plus ne se "
        "ont été cette mais nous vous leur comme ou être était",
        "es": "el la los las de que y en un una es por con para del se no al lo como más pero sus su fue son "
        "está ha han este esta también entre cuando muy sin sobre ya hay",
        "it": "il di che e la per un una in del della non è sono con le si da dei nel alla anche più ma come gli "
        "questo ha hanno delle al lo sul nella essere stato perché già",
        "pt": "o a os as de que e do da em um uma para com não por no na dos das se mais ao como mas foi ser "
        "está são também pelo pela seu sua ele ela isso muito já há quando até",
        "nl": "de het een en van is dat op te in zijn voor met die niet aan er maar om ook als bij door wordt "
        "worden was naar nog dan uit kan hij zij wij ze deze dit heeft hebben geen meer zo over",
        "sv": "och i att det som en på är av för med till den har de inte om ett var jag men så vi kan han hon "
        "sig från eller vid när under efter också skulle detta mot finns sina",
        "da": "og i at det er en til på af for med som den de ikke har et der var jeg men om så vi kan han hun "
        "sig fra eller ved når efter også skal denne mod være blev havde hvad af mig dig meget noget nogle sagde "
        "siger ud op nu kun",
        "no": "og i er det som en på til av for med at den de ikke har et var jeg men om så vi kan han hun seg "
        "fra eller ved når etter også skal denne mot være ble hadde blir å hva av meg deg mye noe noen sa sier ut "
        "opp nå bare",
        "fi": "ja on ei se että hän oli ovat mutta kun tai joka myös sen hänen ne jo niin kuin mitä tämä vain "
        "ole olla jos nyt sitä siitä minä me te he mukaan vuonna kanssa",
        "pl": "i w z na się nie do to że jest o a jak po ale od za co przez dla tak są jego już ich być może "
        "także został była było by tylko pod przy oraz",
        "cs": "a v se na je to že s z o do i k pro by jak ale po jsou jako od za které který která už jeho byl "
        "byla bylo také není jsem tak podle při",
        "sk": "a v sa na je to že s z o do i k pre by ako ale po sú od za ktoré ktorý ktorá už jeho bol bola "
        "bolo tiež nie som tak podľa pri",
        "hu": "a az és hogy nem is egy van meg de ez csak már volt mint még ki el fel lesz vagy azt kell után "
        "nagyon pedig amely ami akkor most szerint között",
        "ro": "și în de la a cu pe din că care nu un o este sunt pentru mai se au fost să ca ce dar al lui sau "
        "după acest această prin fi decât foarte",
        "tr": "ve bir bu da de için ile çok ne olarak daha gibi o ama en var kadar sonra olan değil her mi ki "
        "ben sen biz onlar şey ancak göre ise veya yok olduğu tarafından içinde",
        "id": "yang dan di ini itu dengan untuk dari dalam tidak ke akan pada juga ada adalah oleh karena saya "
        "kami mereka sudah bisa atau telah lebih seperti tersebut namun",
        "hr": "i je u da se na za su od s a o ne koji koja koje kao to ali iz što sa će bi biti ili bio bila već "
        "samo po nakon prema",
        "ca": "i de la el que a en els les per amb no és un una del als ha més però són aquest aquesta també seva seu",
        "vi": "và của là có được trong cho không những một các người này với đã để khi thì từ",
        "sw": "na ya wa kwa ni za katika la kuwa hii cha pia",
    },
    "cyrillic": {
        "ru": "и в не на что он с как это по но из к у за от для его так же был она все о бы было только уже "
        "или они мы при",
        "uk": "і в не на що він з як це по але із до у за від для його так же був вона все про б було тільки "
        "вже або вони ми та й",
        "bg": "и в не на че той с като това по но от за да се е са ще му тя ли си към при след бе беше които която",
        "sr": "и у је да се на за су од са не који која као то али из што ће би бити",
        "mk": "и во не на дека тој со како ова по но од за да се е ќе го",
        "be": "і у не на што ён з як гэта па але да за ад для яго так быў яна ўсё",
        "kk": "мен және бұл да де үшін бір ол деп жоқ болып",
    },
    "arabic": {
        "ar": "في من على أن إلى التي الذي عن مع هذا هذه كان لا ما قد وقال كما بين أو ذلك بعد",
        "fa": "و در به از که این را با است برای آن یک می تا بر هم نیز شد ها شده کرد خود وی",
        "ur": "کے میں کی ہے اور سے کو نے کا یہ پر ہیں بھی کہ ایک تھا گیا لیے ہو وہ",
    },
    "devanagari": {
        "hi": "है और के की में से को का कि यह पर भी था ने हैं एक लिए नहीं",
        "mr": "आहे आणि या व की हे ते च्या ने मध्ये आहेत होते केले करण्यात",
        "ne": "छ र को मा ले पनि हो गरेको भएको छन् थियो यो गर्न",
    },
}
_VOTES: dict[str, dict[str, tuple[str, ...]]] = {}
for _script, _languages in _STOP_WORDS.items():
    _index: dict[str, list[str]] = {}
    for _language, _words in _languages.items():
        for _word in _words.split():
            _index.setdefault(_word, []).append(_language)
    _VOTES[_script] = {word: tuple(langs) for word, langs in _index.items()}
# Letters that only one language in its script uses; each present adds two votes.
_LETTER_VOTES = {
    "latin": {
        "ı": "tr",
        "ğ": "tr",
        "ő": "hu",
        "ű": "hu",
        "ř": "cs",
        "ů": "cs",
        "ł": "pl",
        "ș": "ro",
        "ț": "ro",
        "ơ": "vi",
        "ư": "vi",
        "ß": "de",
        "ñ": "es",
        "ã": "pt",
        "õ": "pt",
        "ľ": "sk",
        "ŕ": "sk",
    },
    "cyrillic": {
        "ї": "uk",
        "є": "uk",
        "ґ": "uk",
        "ў": "be",
        "ђ": "sr",
        "ћ": "sr",
        "ѓ": "mk",
        "ќ": "mk",
        "ә": "kk",
        "ғ": "kk",
        "қ": "kk",
        "ң": "kk",
        "ө": "kk",
        "ұ": "kk",
        "ы": "ru",
    },
    "arabic": {"پ": "fa", "چ": "fa", "ژ": "fa", "ٹ": "ur", "ڈ": "ur", "ڑ": "ur", "ں": "ur", "ے": "ur"},
}
# Letters outside the Latin script (combining marks are not letters, so they are not counted).
_NON_LATIN_LETTER = re.compile(r"[^\W\d_\x00-\u024f\u1e00-\u1eff]")
# Punctuation that separates words. Not an apostrophe ("l'alliance", "don't") nor a period: "U.S."
# must not become the Croatian words "u" and "s".
_PUNCTUATION = re.compile(
    r"[\"()\[\]{}<>«»“”‘’„‚‹›—–,;:!?…/\\|*#@%&+=~^`、。，：；！？؟،؛۔।॥「」『』（）《》〈〉【】-]"
)


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language of ``text``, or "und" when unsure."""
    sample = text[:SAMPLE_CHARS]
    others = _NON_LATIN_LETTER.findall(sample)
    # Latin unless a fifth of the characters are letters of other scripts (spaces and punctuation
    # count too: a fifth is about a third of the letters).
    if len(others) * 5 < len(sample):
        return _vote("latin", sample)
    counts: dict[str | None, int] = {}
    for ch in others:
        script = _BLOCKS[bisect.bisect_right(_BLOCK_STARTS, ord(ch)) - 1][1]
        counts[script] = counts.get(script, 0) + 1
    counts.pop(None, None)
    if not counts:
        return UNDETERMINED
    # Japanese mixes kanji (Han) with kana; Chinese writes Han only.
    kana = counts.get("kana", 0)
    if kana and kana * 10 >= kana + counts.get("han", 0):
        return "ja"
    script = max(counts, key=counts.__getitem__)
    if script == "han":
        return "zh"
    if script in _SCRIPT_LANGUAGE:
        return _SCRIPT_LANGUAGE[script]
    if script in _VOTES:
        return _vote(script, sample)
    return UNDETERMINED


def _vote(script: str, sample: str) -> str:
    """The language whose common words (and distinctive letters) the sample uses most."""
    votes = _VOTES[script]
    scores: dict[str, int] = {}
    low = sample[:VOTE_CHARS].lower()
    for word, count in Counter(_PUNCTUATION.sub(" ", low).split()).items():
        for language in votes.get(word) or votes.get(word.rstrip("."), ()):
            scores[language] = scores.get(language, 0) + count
    for letter, language in _LETTER_VOTES.get(script, {}).items():
        if letter in low:
            scores[language] = scores.get(language, 0) + 2
    if not scores:
        return UNDETERMINED
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    best_language, best = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    # Sure: at least two votes, clearly ahead of the runner-up (often a close relative).
    if best >= 2 and best >= second + max(1.0, 0.1 * best):
        return best_language
    return UNDETERMINED
