"""The demo's letters: the translations a translator would have entered, so that every request's letters can
be generated in its language at its stage, among them a bilingual Russian-English MLA request (to Russia)
and a Dari acknowledgement of an incoming request from Afghanistan (also Dari-English)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.demo.data import CHILD_PROTECTION, CONDUCTING, PARTNERS
from mla.demo.partners import partner_authority
from mla.domain.enums import Direction, RequestKind, Stage
from mla.models import AssistanceRequest, CountryProfile, Measure, TextTranslation

TAJIK_PGO = {"ru": "Генеральная прокуратура Республики Таджикистан",
             "en": "General Prosecutor's Office of the Republic of Tajikistan",
             "fa_AF": "لوی سارنوالی جمهوری تاجیکستان"}
AFGHAN_AGO = {"ru": "Генеральная прокуратура Афганистана", "en": "Attorney General's Office of Afghanistan",
              "fa_AF": "لوی څارنوالی افغانستان"}
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


def _english(session: Session) -> dict[str, str]:
    """The English of every Russian text the demo writes: its facts, authorities and offices' units."""
    named = [partner_authority(profile) for profile in session.scalars(select(CountryProfile))
             if profile.iso2 in PARTNERS]
    authorities = {name["ru"]: name["en"] for name in named}
    units = {unit["ru"]: unit["en"] for unit in CONDUCTING.values()}
    return {**ENGLISH, **authorities, **units, TAJIK_PGO["ru"]: TAJIK_PGO["en"],
            AFGHAN_AGO["ru"]: AFGHAN_AGO["en"], CHILD_PROTECTION["ru"]: CHILD_PROTECTION["en"]}


def prepare_demo_letters(session: Session, *, now: datetime) -> None:
    """Translate the demo's requests as a translator would have: every one written for a partner in
    English, except those still waiting in the translation stage; the Russian request ready to go to
    Russia into English too, for a bilingual letter; the incoming Afghan request into Dari and English.
    Flushes only."""
    english = _english(session)
    for item in session.scalars(select(AssistanceRequest).order_by(AssistanceRequest.id)).all():
        if item.request_language == "en" and item.stage != Stage.TRANSLATION:
            _translate(session, item, "en", english, now)
    bilingual = _first(session, Direction.OUTGOING, "RU", Stage.READY_TO_SEND)
    if bilingual is not None:
        _translate(session, bilingual, "en", english, now)
    incoming = _first(session, Direction.INCOMING, "AF", Stage.RECEIVED)
    if incoming is not None:  # the Afghan prosecutor asks, the Tajik one answers
        incoming.requesting_authority = AFGHAN_AGO["ru"]
        incoming.partner_reference = incoming.partner_reference or "AGO-1405/0213"
        session.flush()
        _translate(session, incoming, "fa_AF", {**DARI, AFGHAN_AGO["ru"]: AFGHAN_AGO["fa_AF"],
                                                TAJIK_PGO["ru"]: TAJIK_PGO["fa_AF"]}, now)
        _translate(session, incoming, "en", english, now)
    session.flush()
