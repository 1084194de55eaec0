"""What a request's page lists besides the request itself: its persons, measures, history and links."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from mla.domain.access import may_see
from mla.domain.enums import LinkKind
from mla.models import (
    AssistanceRequest,
    AssistanceType,
    Measure,
    Person,
    RequestLink,
    StageChange,
    Treaty,
    User,
)
from mla.services.reference_lists import list_assistance_types, list_treaties


@dataclass(frozen=True)
class RequestContent:
    """What a request's page lists besides the request itself."""

    persons: list[Person]
    measures: list[Measure]
    history: list[StageChange]
    assistance_types: dict[str, AssistanceType]
    treaties: dict[str, Treaty]


def read_request_content(session: Session, item: AssistanceRequest) -> RequestContent:
    return RequestContent(
        persons=list(session.scalars(select(Person).where(Person.request_id == item.id).order_by(Person.id))),
        measures=list(session.scalars(select(Measure).where(Measure.request_id == item.id)
                                      .order_by(Measure.position, Measure.id))),
        history=list(session.scalars(select(StageChange).where(StageChange.request_id == item.id)
                                     .options(selectinload(StageChange.actor))
                                     .order_by(StageChange.at, StageChange.id))),
        assistance_types={t.code: t for t in list_assistance_types(session)},
        treaties={t.code: t for t in list_treaties(session)},
    )


def linked_requests(session: Session, *, user: User, item: AssistanceRequest
                    ) -> list[tuple[LinkKind, bool, AssistanceRequest]]:
    """Each linked request that `user` may see: the link's kind, whether it goes from `item` to the
    other request, and that request."""
    rows = session.execute(select(RequestLink, AssistanceRequest).join(
        AssistanceRequest, or_(
            (RequestLink.to_request_id == AssistanceRequest.id) & (RequestLink.from_request_id == item.id),
            (RequestLink.from_request_id == AssistanceRequest.id) & (RequestLink.to_request_id == item.id),
        )).order_by(RequestLink.id))
    return [(link.kind, link.from_request_id == item.id, other)
            for link, other in rows if may_see(user, other)]
