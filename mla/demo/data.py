"""The fictional people, offices and cases of the demo (training mode, DOMAIN.md §8.8)."""
from __future__ import annotations

from dataclasses import dataclass

from mla.domain.enums import Direction, PersonRole, RequestKind, Role, Stage

DEMO_PASSWORD = "demo-password-2026"

OFFICES = [
    ("DUS", "Генеральная прокуратура, управление международного сотрудничества", "Душанбе"),
    ("KHU", "Прокуратура Согдийской области", "Худжанд"),
    ("BOK", "Прокуратура Хатлонской области", "Бохтар"),
    ("KUL", "Прокуратура города Куляб", "Куляб"),
]

# (e-mail, name, role, office code)
USERS = [
    ("admin@demo.mla.tj", "Шарипов Далер", Role.ADMIN, None),
    ("manager@demo.mla.tj", "Назарова Малика", Role.MANAGER, "DUS"),
    ("desk@demo.mla.tj", "Каримов Бахтиёр", Role.DESK, "DUS"),
    ("drafter@demo.mla.tj", "Исмоилова Зарина", Role.DRAFTER, "KHU"),
    ("drafter.bokhtar@demo.mla.tj", "Сафаров Рустам", Role.DRAFTER, "BOK"),
    ("drafter.kulob@demo.mla.tj", "Давлатова Гулноза", Role.DRAFTER, "KUL"),
    ("translator@demo.mla.tj", "Юсупова Мадина", Role.TRANSLATOR, "DUS"),
]

# Persons: (original script, Latin, Cyrillic, role, protected, child)
PERSONS = [
    ("Рахимов Фарход Каримович", "Rakhimov Farkhod", "Рахимов Фарход", PersonRole.SUSPECT, False, False),
    ("Ҷӯраев Ҷамшед Қодирович", "Juraev Jamshed", "Джураев Джамшед", PersonRole.ACCUSED, False, False),
    ("Қодирова Нилуфар", "Qodirova Nilufar", "Кодирова Нилуфар", PersonRole.VICTIM, True, False),
    ("Шарипова Мадина", "Sharipova Madina", "Шарипова Мадина", PersonRole.VICTIM, True, True),
    ("Raximov Sherzod", "Rakhimov Sherzod", "Рахимов Шерзод", PersonRole.SUSPECT, False, False),
    ("Ergashev Bekzod", "Ergashev Bekzod", "Эргашев Бекзод", PersonRole.WITNESS, False, False),
    ("احمد رحیمی", "Ahmad Rahimi", "Ахмад Рахими", PersonRole.SUSPECT, False, False),
    ("ګل احمد", "Gul Ahmad", "Гуль Ахмад", PersonRole.WITNESS, False, False),
    ("Yılmaz Mehmet", "Yilmaz Mehmet", "Йылмаз Мехмет", PersonRole.SUSPECT, False, False),
    ("Абдуллаев Сардор", "Abdullaev Sardor", "Абдуллаев Сардор", PersonRole.SUSPECT, False, False),
    ("Сатторова Дилноза", "Sattorova Dilnoza", "Сатторова Дилноза", PersonRole.VICTIM, True, False),
    ("ТОО «Восток Транс Сервис»", "Vostok Trans Service LLP", "ТОО «Восток Транс Сервис»",
     PersonRole.LEGAL_PERSON, False, False),
]

FACTS = [
    "В период с марта по июнь 2026 года группа лиц путём обмана вербовала граждан Республики "
    "Таджикистан для работы за рубежом, после прибытия изымала их паспорта и принуждала к "
    "труду без оплаты.",
    "Подозреваемый организовал незаконный переход границы не менее 14 мигрантов через "
    "территорию запрашиваемого государства за вознаграждение от 1 500 до 3 000 долларов США.",
    "Потерпевшая, несовершеннолетняя, была вывезена под предлогом трудоустройства и "
    "удерживалась в квартире; денежные переводы организаторам поступали через систему "
    "денежных переводов.",
]

# (direction, kind, country, target stage, requester deadline in days from today or None)
SCENARIOS = [
    (Direction.OUTGOING, RequestKind.MLA, "KZ", Stage.DRAFT, 60),
    (Direction.OUTGOING, RequestKind.MLA, "KZ", Stage.INTERNAL_REVIEW, 45),
    (Direction.OUTGOING, RequestKind.MLA, "RU", Stage.RETURNED_FOR_CORRECTION, 30),
    (Direction.OUTGOING, RequestKind.MLA, "UZ", Stage.APPROVED, 50),
    (Direction.OUTGOING, RequestKind.MLA, "AF", Stage.TRANSLATION, 40),
    (Direction.OUTGOING, RequestKind.MLA, "TR", Stage.TRANSLATION, 35),
    (Direction.OUTGOING, RequestKind.MLA, "RU", Stage.READY_TO_SEND, 25),
    (Direction.OUTGOING, RequestKind.MLA, "KZ", Stage.SENT, -5),
    (Direction.OUTGOING, RequestKind.MLA, "RU", Stage.SENT, -20),
    (Direction.OUTGOING, RequestKind.MLA, "KG", Stage.ACKNOWLEDGED, 15),
    (Direction.OUTGOING, RequestKind.MLA, "IR", Stage.ACKNOWLEDGED, -12),
    (Direction.OUTGOING, RequestKind.MLA, "KZ", Stage.ADDITIONAL_INFO_REQUESTED, 20),
    (Direction.OUTGOING, RequestKind.MLA, "UZ", Stage.REFUSED, None),
    (Direction.OUTGOING, RequestKind.MLA, "PK", Stage.IN_EXECUTION, -3),
    (Direction.OUTGOING, RequestKind.MLA, "RU", Stage.PARTIALLY_EXECUTED, 10),
    (Direction.OUTGOING, RequestKind.MLA, "TM", Stage.POSTPONED, None),
    (Direction.OUTGOING, RequestKind.MLA, "IQ", Stage.REFUSED, None),
    (Direction.OUTGOING, RequestKind.MLA, "KZ", Stage.EXECUTED, None),
    (Direction.OUTGOING, RequestKind.MLA, "KG", Stage.CLOSED, None),
    (Direction.OUTGOING, RequestKind.MLA, "BD", Stage.CONDITIONS_PROPOSED, 30),
    (Direction.OUTGOING, RequestKind.POLICE, "UZ", Stage.DECLINED, None),
    (Direction.OUTGOING, RequestKind.POLICE, "UZ", Stage.SENT, -2),
    (Direction.OUTGOING, RequestKind.POLICE, "KZ", Stage.ANSWERED, None),
    (Direction.OUTGOING, RequestKind.POLICE, "RU", Stage.PARTIALLY_ANSWERED, 12),
    (Direction.OUTGOING, RequestKind.POLICE, "AF", Stage.CONVERTED_TO_MLA, None),
    (Direction.OUTGOING, RequestKind.POLICE, "KG", Stage.CLOSED, None),
    (Direction.INCOMING, RequestKind.MLA, "AF", Stage.RECEIVED, 25),
    (Direction.INCOMING, RequestKind.MLA, "KZ", Stage.REGISTERED, 30),
    (Direction.INCOMING, RequestKind.MLA, "RU", Stage.ACKNOWLEDGED, 20),
    (Direction.INCOMING, RequestKind.MLA, "UZ", Stage.FORMAL_CHECK, -4),
    (Direction.INCOMING, RequestKind.MLA, "KG", Stage.SUBSTANTIVE_CHECK, 18),
    (Direction.INCOMING, RequestKind.MLA, "PK", Stage.ADDITIONAL_INFO_REQUESTED, None),
    (Direction.INCOMING, RequestKind.MLA, "RU", Stage.ASSIGNED, 14),
    (Direction.INCOMING, RequestKind.MLA, "KZ", Stage.IN_EXECUTION, -8),
    (Direction.INCOMING, RequestKind.MLA, "TR", Stage.EVIDENCE_CERTIFIED, 5),
    (Direction.INCOMING, RequestKind.MLA, "UZ", Stage.RETURNED, None),
    (Direction.INCOMING, RequestKind.MLA, "IQ", Stage.CLOSED, None),
    (Direction.INCOMING, RequestKind.POLICE, "KZ", Stage.RECEIVED, 7),
    (Direction.INCOMING, RequestKind.POLICE, "UZ", Stage.REGISTERED, -1),
    (Direction.INCOMING, RequestKind.POLICE, "RU", Stage.ANSWERED, None),
]


@dataclass(frozen=True)
class Partner:
    """How the demo writes to a partner country: the channel and legal bases of its MLA and police
    requests (treaties both States are party to, or reciprocity), the language of its outgoing requests
    (one the partner accepts and the letters have a template in), and, where the reference data names no
    central authority, the authority the requests go to."""

    channel: str
    bases: tuple[str, ...]
    police_bases: tuple[str, ...]
    language: str
    police_language: str
    authority: dict[str, str] | None = None


_CIS = Partner("central_authority", ("untoc", "tip_protocol", "minsk_1993"), ("cis_mvd_1992",), "ru", "ru")
PARTNERS = {
    "KZ": _CIS, "KG": _CIS, "RU": _CIS,
    "UZ": Partner("central_authority", ("untoc", "tip_protocol", "minsk_1993", "uz_tj_pgo_2018"),
                  ("cis_mvd_1992",), "ru", "ru"),
    "TM": Partner("central_authority", ("untoc", "tip_protocol", "minsk_1993"), ("cis_mvd_1992",), "ru", "ru",
                  {"ru": "Генеральная прокуратура Туркменистана",
                   "en": "Prosecutor General's Office of Turkmenistan"}),
    "AF": Partner("diplomatic", ("untoc", "tip_protocol"), ("reciprocity",), "fa_AF", "en"),
    "PK": Partner("central_authority", ("untoc",), ("reciprocity",), "en", "en"),
    "IQ": Partner("diplomatic", ("untoc", "tip_protocol"), ("reciprocity",), "en", "en"),
    "IR": Partner("direct", ("ir_tj_pgo_2021",), ("reciprocity",), "en", "en"),
    "BD": Partner("diplomatic", ("untoc", "tip_protocol"), ("reciprocity",), "en", "en"),
    "TR": Partner("central_authority", ("untoc", "tip_protocol"), ("reciprocity",), "en", "en",
                  {"ru": "Министерство юстиции Турецкой Республики, Главное управление внешних связей и "
                         "по делам Европейского союза",
                   "en": "Ministry of Justice of the Republic of Türkiye, Directorate General for Foreign "
                         "Relations and European Union Affairs"}),
}
POLICE_CHANNEL = "police_ncb"

# The unit of each office that conducts the proceedings an outgoing request serves.
CONDUCTING = {
    "KHU": {"ru": "Прокуратура Согдийской области, следственный отдел",
            "en": "Sughd Regional Prosecutor's Office, investigation department"},
    "BOK": {"ru": "Прокуратура Хатлонской области, следственный отдел",
            "en": "Khatlon Regional Prosecutor's Office, investigation department"},
    "KUL": {"ru": "Прокуратура города Куляба, следственный отдел",
            "en": "Kulob City Prosecutor's Office, investigation department"},
}
CHILD_PROTECTION = {
    "ru": "Допрос несовершеннолетней потерпевшей — в присутствии психолога и законного представителя, "
          "без контакта с подозреваемыми.",
    "en": "The minor victim is to be heard in the presence of a psychologist and her legal representative, "
          "with no contact with the suspects."}
EXECUTED_NOTE = "Исполнено: материалы получены от запрашиваемой стороны."
