"""Which requests' pages show the completeness check (domain.editing.is_completeness_checked)."""
import pytest

from mla.domain.editing import is_completeness_checked
from mla.domain.enums import Direction, Stage

CHECKED = {Stage.DRAFT, Stage.INTERNAL_REVIEW, Stage.RETURNED_FOR_CORRECTION}


@pytest.mark.parametrize("direction", sorted(Direction))
@pytest.mark.parametrize("stage", sorted(Stage))
def test_the_check_is_shown_on_outgoing_requests_until_approval(direction, stage):
    expected = direction == Direction.OUTGOING and stage in CHECKED
    assert is_completeness_checked(direction, stage) is expected
