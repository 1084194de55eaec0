"""Who writes to whom. A request names two authorities: the requesting authority, which makes it, and
the addressee, to which it is made. Ours is the requesting authority of an outgoing request and the
addressee of an incoming one. Every letter the tracker writes goes from our authority to the partner's:
which kinds of letter are for which direction, who sends and who receives each one, and what is wrong
when the request's parties do not fit."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mla.domain.enums import Direction, LetterKind
from mla.domain.errors import N_

# The direction of the requests each kind of letter is written for.
LETTER_DIRECTION: Mapping[LetterKind, Direction] = {
    LetterKind.MLA_REQUEST: Direction.OUTGOING,
    LetterKind.POLICE_REQUEST: Direction.OUTGOING,
    LetterKind.SUPPLEMENTARY_REQUEST: Direction.OUTGOING,
    LetterKind.STATUS_ENQUIRY: Direction.OUTGOING,
    LetterKind.ACKNOWLEDGEMENT: Direction.INCOMING,
    LetterKind.EXECUTION_COVER: Direction.INCOMING,
}
# The request's field naming our authority and the one naming the partner's, by direction.
OUR_FIELD = {Direction.OUTGOING: "requesting_authority", Direction.INCOMING: "addressee"}
PARTNER_FIELD = {Direction.OUTGOING: "addressee", Direction.INCOMING: "requesting_authority"}

_NO_SENDER = {
    Direction.OUTGOING: N_("The letter has no sender: name our authority as the requesting authority "
                           "of the request."),
    Direction.INCOMING: N_("The letter has no sender: name our authority, to which the partner made the "
                           "request, as its addressee."),
}
_NO_RECIPIENT = {
    Direction.OUTGOING: N_("The letter has no recipient: name the partner's authority as the addressee "
                           "of the request."),
    Direction.INCOMING: N_("The letter has no recipient: name the partner's authority that made the "
                           "request as its requesting authority."),
}
_WRONG_WAY = {
    Direction.OUTGOING: N_("The parties are the wrong way round: an outgoing request is made by our "
                           "authority (requesting authority) and addressed to the partner's (addressee)."),
    Direction.INCOMING: N_("The parties are the wrong way round: an incoming request is made by the "
                           "partner's authority (requesting authority) and addressed to ours (addressee)."),
}
_SAME = N_("The letter would go from an authority to itself: the request names the same authority as "
           "requesting authority and addressee.")


def letter_parties(direction: Direction, requesting_authority: str, addressee: str) -> tuple[str, str]:
    """(sender, recipient) of a letter about a request: from our authority to the partner's."""
    named = {"requesting_authority": requesting_authority, "addressee": addressee}
    return named[OUR_FIELD[direction]], named[PARTNER_FIELD[direction]]


@dataclass(frozen=True)
class PartyProblem:
    message: str
    field_name: str
    params: Mapping[str, str] = field(default_factory=dict)


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _names_any(text: str, names: Iterable[str]) -> bool:
    folded = _folded(text)
    return any(name and name in folded for name in (_folded(n) for n in names))


def party_problems(direction: Direction, requesting_authority: str, addressee: str, *,
                   our_names: Iterable[str], partner_names: Iterable[str]) -> tuple[PartyProblem, ...]:
    """What keeps a letter about this request from going from our authority to the partner's: a party
    not named, one authority on both sides, or ours and the partner's swapped (the sender names a known
    authority of the partner, or the recipient one of ours)."""
    sender, recipient = letter_parties(direction, requesting_authority, addressee)
    ours = OUR_FIELD[direction]
    partners = PARTNER_FIELD[direction]
    problems = []
    if not sender.strip():
        problems.append(PartyProblem(_NO_SENDER[direction], ours))
    if not recipient.strip():
        problems.append(PartyProblem(_NO_RECIPIENT[direction], partners))
    if problems:
        return tuple(problems)
    if _folded(sender) == _folded(recipient):
        return (PartyProblem(_SAME, partners),)
    if _names_any(sender, partner_names) or _names_any(recipient, our_names):
        return (PartyProblem(_WRONG_WAY[direction], "requesting_authority"),)
    return ()
