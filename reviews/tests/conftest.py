"""Fixtures shared by the workflow tests: the seed article's Rutte claim, triaged and assigned."""

import pytest

from reviews import services


@pytest.fixture
def claim(article):
    """A check-worthy claim of the seed article, with a named speaker (Mark Rutte)."""
    return article.claims.get(text__startswith="Referring to Türkiye")


@pytest.fixture
def assigned(claim, editor, reviewer):
    """``claim``, accepted by the editor and assigned to the reviewer."""
    services.claim_accept(claim=claim, actor=editor)
    return services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
