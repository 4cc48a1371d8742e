"""The language of an article: an ISO 639-1 code, "und" when unsure; offline and fast."""

import time

import pytest

from articles.extraction import detect_language, extract

SAMPLES = {
    "en": "The government announced on Wednesday that defence spending will rise. The prime minister said the "
    "country was ready to take on more responsibility in the alliance.",
    "de": "Die Bundesregierung hat am Mittwoch beschlossen, die Ausgaben für die Verteidigung bis 2030 "
    "deutlich zu erhöhen. Der Kanzler sagte, dass Deutschland mehr Verantwortung übernehmen werde.",
    "fr": "Le gouvernement a annoncé mercredi une hausse des dépenses de défense. Le président a "
    "déclaré que la France était prête à prendre plus de responsabilités dans l'alliance.",
    "es": "El gobierno anunció el miércoles un aumento del gasto en defensa. El presidente dijo que el "
    "país está preparado para asumir más responsabilidades en la alianza.",
    "it": "Il governo ha annunciato mercoledì un aumento della spesa per la difesa. Il presidente ha detto "
    "che il paese è pronto ad assumere più responsabilità nell'alleanza.",
    "pt": "O governo anunciou na quarta-feira um aumento dos gastos com defesa. O presidente disse que o "
    "país está preparado para assumir mais responsabilidades na aliança.",
    "nl": "De regering heeft woensdag een verhoging van de defensie-uitgaven aangekondigd. De premier zei dat "
    "het land klaar is om meer verantwoordelijkheid te nemen.",
    "sv": "Regeringen meddelade på onsdagen att försvarsutgifterna ska öka. Statsministern sa att "
    "landet är redo att ta ett större ansvar inom alliansen.",
    "pl": "Rząd ogłosił w środę, że wydatki na obronność zostaną "
    "zwiększone. Premier powiedział, że kraj jest gotowy wziąć na siebie większą "
    "odpowiedzialność w sojuszu.",
    "tr": "Hükümet çarşamba günü savunma harcamalarının "
    "artırılacağını açıkladı. Cumhurbaşkanı, ülkenin "
    "ittifak içinde daha fazla sorumluluk almaya hazır olduğunu söyledi.",
    "ru": "Правительство в среду объявило, что расходы на оборону будут увеличены, и что страна готова к этому.",
    "uk": "Уряд у середу оголосив, що витрати на оборону будуть збільшені, і що країна готова до цього.",
    "ar": "أعلنت الحكومة يوم الأربعاء أن الإنفاق الدفاعي سيرتفع في العام المقبل من أجل التحالف.",
    "he": "הממשלה הודיעה ביום רביעי כי הוצאות הביטחון יגדלו.",
    "el": "Η κυβέρνηση ανακοίνωσε την Τετάρτη ότι οι δαπάνες θα αυξηθούν.",
    "hi": "सरकार ने बुधवार को घोषणा की कि रक्षा खर्च बढ़ाया जाएगा। यह देश के लिए जरूरी है।",
    "zh": "政府周三宣布将增加国防开支。总理表示，该国准备在联盟中承担更多责任。",
    "ja": "政府は水曜日、防衛費を増やすと発表した。首相は、同国が同盟の中でより大きな責任を担う用意があると述べた。",
    "ko": "정부는 수요일 국방비를 늘리겠다고 발표했다.",
    "th": "รัฐบาลประกาศเมื่อวันพุธ",
}


@pytest.mark.parametrize("language,text", sorted(SAMPLES.items()))
def test_detects_the_language(language, text):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "   \n", "12345 678", "NATO", "hello", "Türkiye", "😀😀", "Mark Rutte", "OK."])
def test_unsure_is_und(text):
    assert detect_language(text) == "und"


def test_the_seed_article_is_english(seed_text):
    assert detect_language(seed_text) == "en"


def test_detection_reads_only_the_start_of_a_long_text():
    text = SAMPLES["de"] + " " + "x" * 2_000_000
    started = time.perf_counter()
    assert detect_language(text) == "de"
    assert time.perf_counter() - started < 0.05


def test_non_english_article_is_segmented_with_exact_offsets():
    text = SAMPLES["de"] + "\n\n" + SAMPLES["zh"] + "\n\n" + SAMPLES["hi"]
    units = extract(text)
    assert len(units) == 2 + 2 + 2
    assert all(text[u.start : u.end] == u.text for u in units)
