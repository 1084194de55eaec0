"""Realistic person names for the search benchmark: Tajik, Uzbek, Kazakh, Kyrgyz, Russian and Afghan names
in the scripts and transliterations the desk meets, with surnames drawn by a Zipf-like law."""
from __future__ import annotations

import random
from dataclasses import dataclass

# Personal-name roots in Tajik Cyrillic; surnames are root + suffix (Раҳимов, Раҳимзода, Раҳимбеков).

def _words(text: str) -> list[str]:
    return text.split()


ROOTS = _words("""
    Раҳим Карим Ҷӯра Қодир Ғафур Ҳаким Назар Саид Шариф Сафар Абдулло Юсуф Исмоил Мирзо Ҳол Давлат Нур Ҳасан
    Ҳусейн Иброҳим Султон Умар Азим Одина Сангин Бобо Тоҳир Зокир Набӣ Расул Салим Собир Шукур Латиф Маҷид
    Рашид Ҳамид Ҳамза Юнус Илёс Мӯсо Исо Довуд Сулаймон Қурбон Боқӣ Ҷалол Камол Файз Аҳмад Маҳмуд Муҳаммад
    Олим Алӣ Валӣ Эргаш Турсун Бек Ашур Қосим Ғулом Ёқуб Нурулло Хуҷа Шамсиддин Зиё Ислом Бахтиёр Фарҳод
    Ҷамшед Шерзод Равшан Дилшод Мансур Муртазо Зафар Аброр Саъдулло Файзулло Ҳабиб Наҷиб Ориф Сино Меҳроб
    Кабир Ваҳоб Сатор Ғаффор Ҷаббор Қаҳҳор Рауф Малик Шоҳ Пӯлод Темур Бобур Акбар Асад Анвар""")
SUFFIXES = ("ов", "ов", "ов", "зода", "беков", "ҷонов", "боев", "улло", "ӣ")
MALE = _words("""
    Фарҳод Ҷамшед Алишер Баҳром Умед Сорбон Далер Фирӯз Парвиз Шерзод Бахтиёр Равшан Дилшод Сӯҳроб Комрон
    Рустам Манучеҳр Фаррух Илҳом Носир Аброр Зафар Меҳрон Исмоил Азиз Ҷаҳонгир Некрӯз Шоҳрух""")
FEMALE = _words("""
    Нилуфар Мадина Зарина Дилноза Шаҳло Мавҷуда Гулнора Парвина Мижгона Ситора Манижа Фотима Зуҳро Малика
    Шабнам Нигина Тахмина Дилрабо Фарзона Ҳусния Мунира Гулчеҳра Бунафша Меҳрубон""")
KAZAKH = _words("""
    Нұрлан Серік Қасым Ержан Бақыт Асқар Дәулет Айгүл Әлия Гүлнар Мұрат Ерлан Жанар Айбек Талғат Өмірбек
    Нұрсұлтан Ерболат Сәуле Қуаныш""")
KYRGYZ = _words("Үсөн Өмүр Токтогул Азамат Бакыт Нурбек Айбек Жыргал Чынара Мээрим Эрмек Бекболот "
                "Алтынбек Гүлзат")
RUSSIAN_SURNAMES = _words("""
    Иванов Петров Смирнов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Волков Соловьёв Васильев
    Зайцев Павлов Семёнов Голубев Виноградов Богданов Воробьёв""")
RUSSIAN_GIVEN = _words("Иван Сергей Александр Дмитрий Андрей Алексей Евгений Юрий Ольга Елена Наталья "
                       "Татьяна Юлия Мария Анастасия Ксения")
AFGHAN_FAMILY = [("رحیمی", "Rahimi"), ("کریمی", "Karimi"), ("حیدری", "Haidari"), ("احمدی", "Ahmadi"),
                 ("نوری", "Nuri"), ("صدیقی", "Siddiqi"), ("یوسفزی", "Yousafzai"), ("پوپل", "Popal"),
                 ("وردک", "Wardak"), ("هاشمی", "Hashimi"), ("رسولی", "Rasuli"), ("عزیزی", "Azizi"),
                 ("جلالی", "Jalali"), ("غفوری", "Ghafuri"), ("نظری", "Nazari"), ("سلطانی", "Sultani"),
                 ("قادری", "Qaderi"), ("مهمند", "Mohmand"), ("ستانکزی", "Stanikzai"), ("امیری", "Amiri")]
AFGHAN_GIVEN = [("احمد", "Ahmad"), ("محمد", "Mohammad"), ("عبدالله", "Abdullah"), ("گل", "Gul"),
                ("وحید", "Wahid"), ("نبی", "Nabi"), ("شریف", "Sharif"), ("فرید", "Farid"), ("جاوید", "Jawid"),
                ("نجیب", "Najib"), ("حمید", "Hamid"), ("ذبیح", "Zabih"), ("مریم", "Maryam"),
                ("فاطمه", "Fatima"), ("زهرا", "Zahra"), ("شکیلا", "Shakila"), ("نسرین", "Nasrin")]

_TAJIK_TO_RUSSIAN = {"ҳ": "х", "қ": "к", "ғ": "г", "ҷ": "дж", "ӣ": "и", "ӯ": "у", "ъ": ""}
_KAZAKH_TO_RUSSIAN = {"ұ": "у", "қ": "к", "ә": "а", "ө": "о", "ү": "у", "і": "и", "ң": "н", "ғ": "г",
                      "һ": "х"}
# ICAO Doc 9303 as Russian passports use it since 2014 ("-" stands for nothing).
_RUSSIAN_PASSPORT = {letter: latin.strip("-") for letter, latin in zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    _words("a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia"), strict=True)}
_OLD_PASSPORT = {**_RUSSIAN_PASSPORT, "й": "y", "ю": "yu", "я": "ya", "ъ": ""}
_UZBEK_LATIN = {**_OLD_PASSPORT, "ҳ": "h", "х": "x", "қ": "q", "ғ": "gʻ", "ҷ": "j", "ж": "j", "ӯ": "oʻ",
                "ӣ": "iy", "ё": "yo", "ц": "s", "е": "e", "ъ": "ʼ", "ұ": "u", "ә": "a", "ө": "o", "ү": "u",
                "і": "i", "ң": "ng", "һ": "h"}


def _surname(root: str, suffix: str) -> str:
    """Раҳим + ов → Раҳимов, Ҷӯра + ов → Ҷӯраев."""
    return root + ("ев" if suffix == "ов" and root[-1] in "аеёиоуэюяӣӯ" else suffix)


def _map(text: str, table: dict[str, str]) -> str:
    out = []
    for char in text:
        low = char.lower()
        mapped = table.get(low, low)
        out.append(mapped.capitalize() if char.isupper() and mapped else mapped)
    return "".join(out)


def russian(text: str) -> str:
    return _map(_map(text, _TAJIK_TO_RUSSIAN), _KAZAKH_TO_RUSSIAN)


def latin(text: str, rng: random.Random) -> str:
    """A Latin spelling as one of the passports or the Uzbek alphabet would give it."""
    table = rng.choice((_RUSSIAN_PASSPORT, _OLD_PASSPORT, _UZBEK_LATIN))
    source = text if table is _UZBEK_LATIN else russian(text)
    return _map(source, table)


@dataclass(frozen=True)
class GeneratedName:
    original: str
    latin: str
    cyrillic: str
    aliases: str
    female: bool


class NameMaker:
    """Draws names; surnames follow a Zipf-like law, so the commonest covers about 1% of persons."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = [_surname(root, suffix) for root in ROOTS for suffix in SUFFIXES]
        self.weights = [1 / (rank + 40) ** 0.9 for rank in range(len(self.surnames))]

    def central_asian(self) -> GeneratedName:
        rng = self.rng
        female = rng.random() < 0.35
        surname = rng.choices(self.surnames, self.weights)[0]
        if female and surname.endswith(("ов", "ев")):
            surname += "а"
        given = rng.choice(FEMALE if female else MALE + KAZAKH[:8] + KYRGYZ[:6])
        father = rng.choice(MALE)
        patronymic = russian(father) + ("овна" if female else "ович")
        tajik = f"{surname} {given} {patronymic}" if rng.random() < 0.5 else f"{surname} {given}"
        draw = rng.random()
        original = tajik if draw < 0.6 else russian(tajik) if draw < 0.88 else latin(tajik, rng)
        return GeneratedName(original, latin(f"{surname} {given}", rng), russian(f"{surname} {given}"), "",
                             female)

    def russian(self) -> GeneratedName:
        rng = self.rng
        given = rng.choice(RUSSIAN_GIVEN)
        female = given.endswith(("а", "я"))
        surname = rng.choice(RUSSIAN_SURNAMES) + ("а" if female else "")
        name = f"{surname} {given}"
        return GeneratedName(name, latin(name, rng), name, "", female)

    def afghan(self) -> GeneratedName:
        rng = self.rng
        (given, given_latin), (family, family_latin) = rng.choice(AFGHAN_GIVEN), rng.choice(AFGHAN_FAMILY)
        original = f"{given} {family}"
        alias = f"{given_latin} {family_latin}"
        back = {v: k for k, v in _OLD_PASSPORT.items() if len(v) == 1}
        cyrillic = _map(alias.lower(), {**back, "w": "в", "h": "х", "j": "дж"}).title()
        return GeneratedName(original, alias, cyrillic, alias, given_latin in {"Maryam", "Fatima", "Zahra",
                                                                                 "Shakila", "Nasrin"})

    def any(self) -> GeneratedName:
        draw = self.rng.random()
        if draw < 0.78:
            return self.central_asian()
        if draw < 0.90:
            return self.afghan()
        return self.russian()
