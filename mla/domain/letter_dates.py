"""How each letter language writes a date in an official letter (the rule of the trade, issue 18).

Digits: Latin in every language except Dari (fa_AF), Pashto (ps) and Persian (fa), which write the
Eastern Arabic-Indic digits (۰–۹) CLDR gives them, as the rest of those letters do (mla.documents).
Dari, Pashto and Persian letters carry the Solar Hijri date first and the Gregorian one after it;
Dari and Pashto use the Afghan solar month names, Persian the Iranian ones.

Pure: no clock, no locale data at run time."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import jdatetime

_EASTERN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
       "November", "December")
_RU_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                "октября", "ноября", "декабря")
_TG_IZOFAT = ("январи", "феврали", "марти", "апрели", "майи", "июни", "июли", "августи", "сентябри",
              "октябри", "ноябри", "декабри")
_UZ = ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr", "noyabr",
       "dekabr")
_KK = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
       "қараша", "желтоқсан")
_KY_POSSESSIVE = ("январы", "февралы", "марты", "апрели", "майы", "июну", "июлу", "августу", "сентябры",
                  "октябры", "ноябры", "декабры")
_UR = ("جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر",
       "دسمبر")
_AR = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
       "ديسمبر")
_FA_AF_GREGORIAN = ("جنوری", "فبروری", "مارچ", "اپریل", "می", "جون", "جولای", "اگست", "سپتمبر", "اکتوبر",
                    "نومبر", "دسمبر")
_PS_GREGORIAN = ("جنوري", "فبروري", "مارچ", "اپریل", "مۍ", "جون", "جولای", "اګست", "سپتمبر", "اکتوبر",
                 "نومبر", "دسمبر")
_FA_GREGORIAN = ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر",
                 "نوامبر", "دسامبر")
# Solar Hijri months, Hamal (1) to Hut (12).
_FA_AF_SOLAR = ("حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت")
_PS_SOLAR = ("وری", "غویی", "غبرگولی", "چنگاښ", "زمری", "وږی", "تله", "لړم", "لیندۍ", "مرغومی", "سلواغه",
             "کب")
_FA_SOLAR = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن",
             "اسفند")


def _solar_and_gregorian(solar_months: tuple[str, ...], solar_era: str, gregorian_months: tuple[str, ...],
                         gregorian_era: str) -> Callable[[date], str]:
    def write(day: date) -> str:
        solar = jdatetime.date.fromgregorian(date=day)
        text = (f"{solar.day} {solar_months[solar.month - 1]} {solar.year} {solar_era} "
                f"({day.day} {gregorian_months[day.month - 1]} {day.year} {gregorian_era})")
        return text.translate(_EASTERN)
    return write


_WRITERS: dict[str, Callable[[date], str]] = {
    "en": lambda d: f"{d.day} {_EN[d.month - 1]} {d.year}",
    "ru": lambda d: f"{d.day} {_RU_GENITIVE[d.month - 1]} {d.year}\u00a0г.",
    "tg": lambda d: f"{d.day} {_TG_IZOFAT[d.month - 1]} соли {d.year}",
    "uz_Latn": lambda d: f"{d.year}-yil {d.day}-{_UZ[d.month - 1]}",
    "kk": lambda d: f"{d.year} жылғы {d.day} {_KK[d.month - 1]}",
    "ky": lambda d: f"{d.year}-жылдын {d.day}-{_KY_POSSESSIVE[d.month - 1]}",
    "ur": lambda d: f"{d.day} {_UR[d.month - 1]} {d.year}ء",
    "ar": lambda d: f"{d.day} {_AR[d.month - 1]} {d.year}م",
    "fa_AF": _solar_and_gregorian(_FA_AF_SOLAR, "هـ.ش.", _FA_AF_GREGORIAN, "م."),
    "ps": _solar_and_gregorian(_PS_SOLAR, "ل.", _PS_GREGORIAN, "ز."),
    "fa": _solar_and_gregorian(_FA_SOLAR, "هـ.ش.", _FA_GREGORIAN, "م."),
}

LETTER_DATE_LANGUAGES = frozenset(_WRITERS)


def official_date(day: date, language: str) -> str:
    """`day` as an official letter in `language` (a letter-template language code) writes it.
    Raises KeyError for a language with no rule (see LETTER_DATE_LANGUAGES)."""
    return _WRITERS[language](day)
