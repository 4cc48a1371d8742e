"""Synthetic news articles for the load and ingest benchmarks: deterministic (seeded), 300 to
800 words, with what the claim extractor looks for (figures, percentages, quotes, "X said",
predictions, causes, rules) among plain narrative sentences.

Pure Python, no Django: ``article(n, seed)`` is the n-th article of a corpus, always the same.
"""

import random

PEOPLE = [
    ("Maria Lopez", "the finance minister"),
    ("James Okafor", "the opposition leader"),
    ("Ingrid Holm", "the health secretary"),
    ("Tomasz Nowak", "the mayor"),
    ("Aisha Rahman", "a senior economist at the central bank"),
    ("Peter Vance", "the chief executive of the port authority"),
    ("Chen Wei", "the trade commissioner"),
    ("Fatima Diallo", "the education minister"),
    ("Robert Keane", "a spokesman for the police"),
    ("Elena Petrova", "the head of the statistics office"),
    ("David Mensah", "the union's general secretary"),
    ("Sofia Rossi", "the environment minister"),
]
TOPICS = [
    ("unemployment", "jobs"),
    ("inflation", "prices"),
    ("hospital waiting lists", "health care"),
    ("housing starts", "housing"),
    ("knife crime", "policing"),
    ("school funding", "education"),
    ("carbon emissions", "the climate"),
    ("defence spending", "defence"),
    ("exports", "trade"),
    ("rail fares", "transport"),
]
PLACES = ["Manchester", "Lyon", "Gdansk", "Porto", "Leeds", "Rotterdam", "Cork", "Turin", "Aarhus", "Bilbao"]
AGENCIES = ["the Office for National Statistics", "Eurostat", "the IMF", "the OECD", "the central bank", "the NHS"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
FILLER = [
    "The announcement came at the end of a long week of negotiations in {place}.",
    "Reporters gathered outside the building long before the doors opened.",
    "The debate continued late into the evening, with several members leaving early.",
    "Officials declined to comment further on the details of the plan.",
    "Local residents had been waiting for an answer for months.",
    "The session was broadcast live and watched by a large audience in {place}.",
    "Several questions about the timetable were left unanswered.",
    "Protesters stood quietly on the steps as the delegates arrived.",
    "The report runs to more than two hundred pages and includes dozens of tables.",
    "A second meeting is planned for next month in {place}.",
]


def _number(rng: random.Random) -> str:
    return f"{rng.randint(2, 950):,}" if rng.random() < 0.5 else f"{rng.randint(1_000, 2_500_000):,}"


def _sentence(rng: random.Random) -> str:
    name, role = rng.choice(PEOPLE)
    topic, area = rng.choice(TOPICS)
    place = rng.choice(PLACES)
    year = rng.randint(1990, 2024)
    pct = f"{rng.randint(1, 40)}.{rng.randint(0, 9)}"
    kind = rng.randrange(12)
    if kind == 0:
        return f'"{topic.capitalize()} has fallen by {pct}% since {year}," {name}, {role}, said on {rng.choice(DAYS)}.'
    if kind == 1:
        return f"{name} said the government had spent £{rng.randint(1, 90)} billion on {area} last year."
    if kind == 2:
        return f"According to {rng.choice(AGENCIES)}, {_number(rng)} people were affected by {topic} in {year}."
    if kind == 3:
        return f"{topic.capitalize()} rose to {pct}% in {rng.choice(MONTHS)}, the highest level since {year}."
    if kind == 4:
        return f'"We will cut {topic} in half by {year + 10}," {name} told reporters in {place}.'
    if kind == 5:
        return f"{name}, {role}, said the new policy would create {_number(rng)} jobs within {rng.randint(2, 9)} years."
    if kind == 6:
        return f"The rise in {topic} was caused by the cuts to {area} made in {year}, {name} claimed."
    if kind == 7:
        return f"Under the new law, every council must publish its figures on {area} within {rng.randint(3, 60)} days."
    if kind == 8:
        return f'"I have visited {rng.randint(3, 40)} hospitals and schools in {place} this year," {name} said.'
    if kind == 9:
        return f"The number of {area} workers in {place} has doubled from {_number(rng)} in {year}."
    return rng.choice(FILLER).format(place=place)


def article(n: int, seed: int = 7) -> dict:
    """The n-th synthetic article: an import row (title, body, source_url, outlet, byline,
    published_on), 300 to 800 words."""
    rng = random.Random(seed * 1_000_003 + n)
    target = rng.randint(300, 800)
    paragraphs, words = [], 0
    while words < target:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    name, _ = rng.choice(PEOPLE)
    topic, _ = rng.choice(TOPICS)
    return {
        "title": f"{name} on {topic} ({n})",
        "body": "\n\n".join(paragraphs),
        "source_url": f"https://news.example.org/{seed}/{n}",
        "outlet": rng.choice(["Daily Ledger", "Evening Post", "The Courier", "Northern Times"]),
        "byline": rng.choice(["Staff reporter", "Political desk", "Economics desk"]),
        "published_on": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }
