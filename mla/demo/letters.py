"""The demo's letters: translations a translator would have entered for three demo requests, so that the
desk can generate at once a bilingual Russian-English MLA request (to Russia), a Dari acknowledgement of an
incoming request from Afghanistan (also Dari-English) and a Russian status enquiry (to Kazakhstan)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.enums import Direction, PersonRole, RequestKind, Stage
from mla.models import AssistanceRequest, Measure, Person, TextTranslation

TAJIK_PGO = {"ru": "Генеральная прокуратура Республики Таджикистан",
             "en": "General Prosecutor's Office of the Republic of Tajikistan",
             "fa_AF": "لوی سارنوالی جمهوری تاجیکستان"}
AFGHAN_AGO = {"ru": "Генеральная прокуратура Афганистана", "en": "Attorney General's Office of Afghanistan",
              "fa_AF": "لوی څارنوالی افغانستان"}
CONDUCTING = {"ru": "Прокуратура Согдийской области, следственный отдел",
              "en": "Sughd Regional Prosecutor's Office, investigation department"}
CHILD_PROTECTION = {
    "ru": "Допрос несовершеннолетней потерпевшей — в присутствии психолога и законного представителя, "
          "без контакта с подозреваемыми.",
    "en": "The minor victim is to be heard in the presence of a psychologist and her legal representative, "
          "with no contact with the suspects."}
# English (and Dari) versions of the Russian texts the demo seed writes.
ENGLISH = {
    "Уголовное дело о торговле людьми и незаконной миграции":
        "Criminal case of trafficking in persons and irregular migration",
    "ч. 2 ст. 130¹ Уголовного кодекса Республики Таджикистан":
        "Article 130.1, part 2, of the Criminal Code of the Republic of Tajikistan",
    "Установление обстоятельств вербовки и перемещения потерпевших, сбор доказательств.":
        "To establish how the victims were recruited and moved, and to gather evidence.",
    "Истечение срока содержания обвиняемого под стражей":
        "The time limit for holding the accused in custody expires.",
    "Сведения и документы за период с 01.03.2026 по 30.06.2026.":
        "Information and documents for the period from 1 March 2026 to 30 June 2026.",
    "В период с марта по июнь 2026 года группа лиц путём обмана вербовала граждан Республики "
    "Таджикистан для работы за рубежом, после прибытия изымала их паспорта и принуждала к "
    "труду без оплаты.":
        "Between March and June 2026 a group of persons recruited citizens of the Republic of Tajikistan "
        "by deception for work abroad; on arrival it took their passports and forced them to work unpaid.",
    "Подозреваемый организовал незаконный переход границы не менее 14 мигрантов через "
    "территорию запрашиваемого государства за вознаграждение от 1 500 до 3 000 долларов США.":
        "The suspect organised the illegal border crossing of at least 14 migrants through the territory "
        "of the requested State for fees of 1,500 to 3,000 US dollars each.",
    "Потерпевшая, несовершеннолетняя, была вывезена под предлогом трудоустройства и "
    "удерживалась в квартире; денежные переводы организаторам поступали через систему "
    "денежных переводов.":
        "The victim, a minor, was taken abroad on the pretext of employment and held in a flat; payments "
        "to the organisers were made through a money-transfer system.",
}
DARI = {"Уголовное дело о торговле людьми и незаконной миграции": "قضیه جزایی قاچاق انسان و مهاجرت غیرقانونی"}


def _first(session: Session, direction: Direction, country: str, stage: Stage) -> AssistanceRequest | None:
    return session.scalar(select(AssistanceRequest).where(
        AssistanceRequest.direction == direction, AssistanceRequest.kind == RequestKind.MLA,
        AssistanceRequest.country_iso2 == country, AssistanceRequest.stage == stage)
        .order_by(AssistanceRequest.id))


def _translate(session: Session, item: AssistanceRequest, language: str, texts: dict[str, str],
               now: datetime) -> None:
    """A translation of each field whose Russian text `texts` knows."""
    fields = {name: getattr(item, name) for name in ("requesting_authority", "conducting_authority",
                                                      "addressee", "subject_matter", "facts_summary",
                                                      "offences", "purpose", "deadline_reason",
                                                      "victim_protection")}
    for measure in session.scalars(select(Measure).where(Measure.request_id == item.id)):
        fields[f"measure:{measure.id}:details"] = measure.details
    existing = set(session.scalars(select(TextTranslation.field_key).where(
        TextTranslation.request_id == item.id, TextTranslation.language == language)))
    for key, source in fields.items():
        if source.strip() in texts and key not in existing:  # a second run keeps what is there
            session.add(TextTranslation(request_id=item.id, field_key=key, language=language,
                                        text=texts[source.strip()], updated_at=now))


def _complete(session: Session, item: AssistanceRequest) -> None:
    """Fill what the demo seed leaves out and the completeness check requires."""
    item.conducting_authority = item.conducting_authority or CONDUCTING["ru"]
    item.channel_code = item.channel_code or "central_authority"
    has_child_victim = session.scalar(select(Person.id).where(
        Person.request_id == item.id, Person.role == PersonRole.VICTIM, Person.is_child.is_(True)))
    if has_child_victim and not item.victim_protection:
        item.victim_protection = CHILD_PROTECTION["ru"]


def prepare_demo_letters(session: Session, *, now: datetime) -> list[str]:
    """Make three demo requests ready for their letters; the references prepared. Flushes only."""
    prepared = []
    chased = _first(session, Direction.OUTGOING, "KZ", Stage.SENT)
    if chased is not None:
        _complete(session, chased)
        prepared.append(chased.reference)
    bilingual = _first(session, Direction.OUTGOING, "RU", Stage.READY_TO_SEND)
    if bilingual is not None:
        _complete(session, bilingual)
        english = {**ENGLISH, TAJIK_PGO["ru"]: TAJIK_PGO["en"], CONDUCTING["ru"]: CONDUCTING["en"],
                   CHILD_PROTECTION["ru"]: CHILD_PROTECTION["en"],
                   "Генеральная прокуратура Российской Федерации":
                       "General Prosecutor's Office of the Russian Federation"}
        _translate(session, bilingual, "en", english, now)
        prepared.append(bilingual.reference)
    incoming = _first(session, Direction.INCOMING, "AF", Stage.RECEIVED)
    if incoming is not None:  # the Afghan prosecutor asks, the Tajik one answers
        incoming.requesting_authority = AFGHAN_AGO["ru"]
        incoming.addressee = TAJIK_PGO["ru"]
        incoming.partner_reference = incoming.partner_reference or "AGO-1405/0213"
        session.flush()
        _translate(session, incoming, "fa_AF", {**DARI, AFGHAN_AGO["ru"]: AFGHAN_AGO["fa_AF"],
                                                TAJIK_PGO["ru"]: TAJIK_PGO["fa_AF"]}, now)
        _translate(session, incoming, "en", {**ENGLISH, AFGHAN_AGO["ru"]: AFGHAN_AGO["en"],
                                             TAJIK_PGO["ru"]: TAJIK_PGO["en"]}, now)
        prepared.append(incoming.reference)
    session.flush()
    return prepared
