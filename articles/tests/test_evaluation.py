"""`manage.py evaluate_extraction`: a newsroom scores the pipeline on its own annotated articles."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

TEXT = 'Prices rose 5% in 2023, the bureau said. "We will cut taxes," Smith said.\nIt was sunny.\n'


def _gold(tmp_path, units, *, name="story"):
    (tmp_path / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(json.dumps(u) for u in units) + "\n", encoding="utf-8")
    return path


def _unit(text, **extra):
    start = TEXT.index(text)
    return {"start": start, "end": start + len(text), "text": text, **extra}


def _run(*args):
    out = StringIO()
    call_command("evaluate_extraction", *map(str, args), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_scores_boundaries_speakers_and_checkworthiness(tmp_path):
    path = _gold(
        tmp_path,
        [
            _unit(
                "Prices rose 5% in 2023, the bureau said.", checkworthy=2, claim_type="quantity", speaker="the bureau"
            ),
            _unit('"We will cut taxes," Smith said.', checkworthy=1, claim_type="prediction", speaker="John Smith"),
            _unit("It was sunny.", checkworthy=0, claim_type="other", speaker="author"),
        ],
    )
    figures = _run(path)
    assert figures["gold_units"] == 3
    assert figures["boundary_recall"] == 1.0
    assert figures["author_voice_accuracy"] == 1.0
    assert 0.0 <= figures["checkworthy_f1"] <= 1.0
    assert figures["speaker_partial_accuracy"] >= 0.5  # "Smith" shares a word with "John Smith"


def test_units_may_name_their_article(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text(TEXT, encoding="utf-8")
    gold = tmp_path / "all.jsonl"
    gold.write_text(json.dumps(_unit("It was sunny.", checkworthy=0, speaker="author", article="texts/a.txt")) + "\n")
    assert _run(gold)["gold_units"] == 1


@pytest.mark.parametrize(
    "content,message",
    [
        ("not json\n", "not a gold unit"),
        ('{"start": 5}\n', "not a gold unit"),
        ('{"start": 9, "end": 3}\n', "0 <= start < end"),
    ],
)
def test_broken_gold_files_are_reported_with_file_and_line(tmp_path, content, message):
    (tmp_path / "g.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "g.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message) as exc:
        _run(path)
    assert "g.jsonl:1" in str(exc.value)


def test_a_missing_article_text_is_reported(tmp_path):
    path = tmp_path / "orphan.jsonl"
    path.write_text(json.dumps({"start": 0, "end": 4}) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot read the article text"):
        _run(path)
