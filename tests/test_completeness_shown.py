"""What a request's page offers: the completeness check (domain.editing.is_completeness_checked) and
the form linking it to another request (may_link_requests)."""
import pytest

from mla.domain.editing import is_completeness_checked, may_link_requests
from mla.domain.enums import Direction, Role, Stage

CHECKED = {Stage.DRAFT, Stage.INTERNAL_REVIEW, Stage.RETURNED_FOR_CORRECTION}


@pytest.mark.parametrize("direction", sorted(Direction))
@pytest.mark.parametrize("stage", sorted(Stage))
def test_the_check_is_shown_on_outgoing_requests_until_approval(direction, stage):
    expected = direction == Direction.OUTGOING and stage in CHECKED
    assert is_completeness_checked(direction, stage) is expected


@pytest.mark.parametrize("role", sorted(Role))
def test_the_case_workers_link_requests(role):
    assert may_link_requests(role) is (role in {Role.DRAFTER, Role.DESK, Role.MANAGER})
