"""Where the PolNeAR speaker accuracy is lost, and what figure each kind of fix could reach.

    .venv/bin/python benchmarks/polnear_misses.py [--list uncreditable|action|reporting]

Runs the pipeline over the PolNeAR dev texts (../shared/data/polnear-dev, evaluation data: read,
never shipped) and scores speakers exactly as ``../shared/tools/score_extraction.py`` does (its
own ``speaker_match``, first annotator, named sources, the unit that overlaps the content most),
then sorts every miss into one of three kinds:

- **uncreditable**: the gold source holds no word that a speaker resolved to a name can share
  with it. "He" and "It" give the scorer no token at all; "She", "They", "His" and a possessive
  ("Mrs. Clinton's") give only tokens no name holds. The issue asks for the fullest name ("He
  said" -> Volodymyr Zelenskyy), which such a source can never match. (A capitalised word other
  than a pronoun or a possessive counts as creditable, so "The Republican nominee" is counted as
  reachable although its resolution, "Donald Trump", shares no word with it: the figures below
  are upper bounds.)
- **action**: the annotated cue holds no reporting word of the pipeline's lexicon (``cues.FORMS``,
  about 800 speech, thought and attitude forms, and "according to"): "has imposed sanctions",
  "voted 19-15", "unleashed a flurry of tweets". PolNeAR annotates these as attributions; the
  product leaves them in the outlet's voice (docs/extraction.md, "Attribution rule"), because the
  subject of an action is not the claimant of the outlet's report of it.
- **reporting**: the rest, a reporting word that the pipeline did not turn into the right
  speaker (two attributions in one unit, a cue it does not take, a segmentation miss).

It prints the accuracy, the count of each kind and the accuracy each kind of fix would reach at
most. The last line is key=value figures.
"""

import argparse
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from articles.extraction import extract  # noqa: E402
from articles.extraction.cues import FORMS  # noqa: E402

_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "his", "her", "its", "their", "them", "him", "our"])
_TARGET = 0.85


def _scorer():
    """The shared scorer module, for its exact ``toks`` and ``speaker_match``."""
    path = SHARED / "tools" / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _attributions(split_dir: Path):
    """(text name, source, cue, content start, content end) of every named-source attribution,
    as the scorer reads them."""
    for text_path in sorted((split_dir / "text").glob("*.txt")):
        for ann in sorted((split_dir / "attributions").glob(text_path.stem + "_*.ann"))[:1]:
            lines = ann.read_text(encoding="utf-8").splitlines()
            spans = {}
            for line in lines:
                if line.startswith("T"):
                    tid, meta, surface = line.split("\t")[:3]
                    _, *rest = meta.split(" ")
                    spans[tid] = ([tuple(map(int, x.split())) for x in " ".join(rest).split(";")], surface)
            for line in lines:
                if not line.startswith("E"):
                    continue
                parts = dict(x.split(":") for x in line.split("\t")[1].split())
                if "Source" not in parts or "Content" not in parts:
                    continue
                source = spans[parts["Source"]][1]
                if not re.search(r"\b[A-Z][a-z]", source):  # the scorer's "named sources only"
                    continue
                content = spans[parts["Content"]][0]
                cue = spans[parts["Cue"]][1] if "Cue" in parts else ""
                yield text_path, source, cue, min(a for a, _ in content), max(b for _, b in content)


def _creditable(source: str, toks) -> bool:
    for word in re.findall(r"[A-Za-z][A-Za-z.'\u2019-]+", source):
        low = word.lower()
        if low in _PRONOUNS or low.endswith(("'s", "\u2019s")):
            continue
        if word[0].isupper() and low in toks(source):
            return True
    return False


def _reporting(cue: str) -> bool:
    words = cue.lower().strip(" :,").split()
    spans = (" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1))
    return "according" in words or any(span in FORMS for span in spans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", choices=["uncreditable", "action", "reporting"], help="print the misses of one kind")
    args = parser.parse_args()
    split_dir = SHARED / "data" / "polnear-dev"
    if not split_dir.is_dir():
        sys.exit(f"{split_dir} is missing: this script needs the shared evaluation data")
    scorer = _scorer()
    units_of: dict[Path, list] = {}
    total = ok = 0
    kinds: dict[str, list[tuple]] = {"uncreditable": [], "action": [], "reporting": []}
    for text_path, source, cue, start, end in _attributions(split_dir):
        if text_path not in units_of:
            units_of[text_path] = extract(text_path.read_text(encoding="utf-8"))
        best, overlap = None, 0
        for unit in units_of[text_path]:
            shared = min(end, unit.end) - max(start, unit.start)
            if shared > overlap:
                best, overlap = unit, shared
        total += 1
        speaker = best.speaker if best is not None else ""
        if best is not None and overlap >= 0.5 * (end - start) and scorer.speaker_match(source, speaker):
            ok += 1
            continue
        if not _creditable(source, scorer.toks):
            kind = "uncreditable"
        elif not _reporting(cue):
            kind = "action"
        else:
            kind = "reporting"
        kinds[kind].append((text_path.name, source, cue, speaker, best.text if best is not None else ""))
    if args.list:
        for name, source, cue, speaker, unit in kinds[args.list]:
            print(f"{name}\tsource={source!r}\tcue={cue!r}\tspeaker={speaker!r}\t{unit[:160]!r}")
        return
    reporting, action = len(kinds["reporting"]), len(kinds["action"])
    with_reporting = (ok + reporting) / total
    with_actions = (ok + reporting + action) / total
    needed = max(0, round(_TARGET * total + 0.4999) - ok - reporting)
    print(f"speaker accuracy on named-source attributions: {ok}/{total} = {ok / total:.3f}")
    print(f"misses: {total - ok}")
    print(f"  uncreditable gold source (pronoun, possessive):  {len(kinds['uncreditable'])}")
    print(f"  action, no reporting word in the cue:            {action}")
    print(f"  reporting word, not turned into the speaker:     {reporting}")
    print(f"at most, every reporting miss fixed:               {with_reporting:.3f}")
    print(f"at most, actions credited to their subject too:    {with_actions:.3f}")
    print(f"{_TARGET} needs {needed} of the {action} actions credited to their subject (every reporting miss fixed)")
    print(
        f"accuracy={ok / total:.3f} uncreditable={len(kinds['uncreditable'])} action={action} reporting={reporting} "
        f"ceiling_reporting={with_reporting:.3f} ceiling_actions={with_actions:.3f} actions_needed={needed}"
    )


if __name__ == "__main__":
    main()
