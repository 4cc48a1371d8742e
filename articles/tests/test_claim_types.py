"""Claim types in Full Fact's taxonomy (Konstantinovskiy et al. 2021), by general rules.

The examples are not from the seed article: the rules must carry over to articles they were not
written for.
"""

import json
from pathlib import Path

import pytest

from articles.extraction.classify import CLAIM_TYPES, checkworthiness, claim_type

GOLD = Path(__file__).resolve().parents[3] / "shared" / "eval" / "seed-claims.jsonl"

EXAMPLES = {
    "quantity": [
        "Unemployment fell to 4.2% in March.",
        "The government spent £3bn on the scheme last year.",
        "There are 12 million people living in poverty in the UK.",
        "One in four patients waits more than six weeks to see a GP.",
        "Crime has risen by a third since 2010.",
        "Prices rose sharply last year.",
        "It is the largest army in Europe.",
        "More than 200 people were killed in the attack.",
        "The company employs 5,000 workers.",
        "Inflation hit a record high in June.",
    ],
    "prediction": [
        "Inflation will peak at 5% next year.",
        "The new rules could cost thousands of jobs.",
        "The NHS is going to run out of money.",
        "The bank is expected to cut rates.",
        "Russia might attack within two years.",
        "Sea levels may rise by a metre by 2100.",
        "Starting from 2030, the fleet can carry twice the load.",
        "We'll cut taxes for working families.",
    ],
    "causation": [
        "Smoking causes lung cancer.",
        "Prices went up because of the new tariffs.",
        "Air pollution is linked to asthma in children.",
        "The closure of the plant led to job losses across the town.",
        "The vaccine helps prevent severe illness.",
        "Thanks to the incentives, more firms are hiring.",
        "Sales slumped, as many shoppers stayed at home.",
    ],
    "law_or_rule": [
        "It is illegal to drive without insurance in the UK.",
        "Companies are required to publish their gender pay gap.",
        "The constitution limits presidents to two terms.",
        "Under the treaty, members must defend each other.",
        "Smoking is banned in all public buildings.",
        "EU citizens are entitled to free healthcare in member states.",
    ],
    "personal_experience": [
        "I grew up in a council house.",
        "When I was a nurse, we had to work 12-hour shifts.",
        "My father worked in the mines for 30 years.",
        "I visited the factory last week and saw the damage.",
        "I've worked in the NHS for 20 years.",
    ],
    "not_a_claim": [
        "What are you going to do about it?",
        "Let's get Brexit done.",
        "We must stand together.",
        "Thank you very much.",
        "I think he is a wonderful man.",
        '"Why should we pay for this?" Smith asked.',
        "Please vote for us on Thursday.",
        "Good evening.",
        "It was a disgrace.",
        'He said, "We need to act now."',
    ],
    "other": [
        "The President of France is Emmanuel Macron.",
        "The meeting took place in Brussels on Monday.",
        "The two countries signed an agreement to share technology.",
        "He was born in Ohio and studied law at Yale.",
    ],
}


@pytest.mark.parametrize("expected,text", [(kind, text) for kind, texts in EXAMPLES.items() for text in texts])
def test_claim_type(expected, text):
    assert claim_type(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # A modal inside a fear is reported, not predicted.
        ("His return to power sparked fears he could undermine the alliance.", "other"),
        # A year is a date, not a quantity; "by 2035" marks the future.
        ("The plan was agreed in 2019 after talks in Vienna.", "other"),
        ("The alliance aims to reach the target by 2035.", "prediction"),
        # Labels and dates are not quantities.
        ("Article 5 considers an attack on one member an attack on all.", "other"),
        ("The Sept. 11 memorial drew large crowds of people.", "other"),
        # "May" the month is not a modal.
        ("The election was held in May and the result was close.", "other"),
        # Non-cue uses of cue words.
        ("The minister ruled out an early election.", "other"),
        ("The political will of the people was clear.", "other"),
    ],
)
def test_cue_words_in_context(text, expected):
    assert claim_type(text) == expected


def test_seed_claim_types(seed_text):
    if not GOLD.exists():
        pytest.skip("shared evaluation data not present")
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    for g in gold:
        assert claim_type(g["text"]) == g["claim_type"], g["text"]


@pytest.mark.parametrize(
    "text,language,expected",
    [
        ("Die Regierung will die Ausgaben erhöhen.", "de", "other"),  # German "will" is "wants"
        ("Die Ausgaben steigen um 3,5 %.", "de", "quantity"),
        ("¿Quién pagará la factura?", "es", "not_a_claim"),
        ("هل هذا صحيح؟", "ar", "not_a_claim"),
        ("Les dépenses atteignent 2 milliards €.", "fr", "other"),
        ("Le budget est de € 2 milliards.", "fr", "quantity"),
    ],
)
def test_other_languages_get_the_rules_that_do_not_depend_on_english_words(text, language, expected):
    assert claim_type(text, language) == expected


@pytest.mark.parametrize("text", ["", "   ", "?", "…", "😀", "12", "a", "İstanbul İİİ"])
def test_any_text_gets_a_known_type(text):
    assert claim_type(text) in CLAIM_TYPES


def test_stand_in_checkworthiness_is_a_score():
    for kind in CLAIM_TYPES:
        assert 0.0 <= checkworthiness("NATO's 32 countries agreed to spend 3.5% of GDP.", kind) <= 1.0
