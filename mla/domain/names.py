"""Owns name folding for cross-script person search: name_key, consonant skeletons, the stored search key.

How a name is folded (TECH-NOTES §8), step by step:

1. NFKC, then casefold. Hyphens and apostrophes join (Abdul-Karim, Joʻrayev); any other character that is
   not a letter (digits, punctuation, emoji) separates words.
2. Letters the generic transliteration gets wrong for this region are mapped first:

   ==========  ======  ================================================================
   letters     becomes  why
   ==========  ======  ================================================================
   ҷ ж         j       Tajik ҷ and Russian ж are both written j in Tajik and Uzbek Latin
   ҳ һ         h       Tajik, Kazakh h
   х           kh      Russian x, which later folds to h with Uzbek x and Latin kh
   қ           q       then q → k
   ғ           gh      then gh → g
   ӣ і         i       Tajik long i, Kazakh i
   ӯ ү ұ       u       Tajik, Kyrgyz, Kazakh u
   ў ө         o       Uzbek Cyrillic ў, Kyrgyz and Kazakh ө (Oʻ in Uzbek Latin)
   ә           a       Kazakh
   ң           ng      Kazakh, Kyrgyz
   ц           ts      then ts → c
   щ           sh
   ё           yo      Tajik and Uzbek write Yo, Russian passports E
   ъ ь         (none)
   ا آ أ إ     a       Arabic script: the alef is a vowel anyascii drops
   و           v / u   v at the start of a word (Wali), u elsewhere (Yusuf)
   ی ي ى ې ۍ   y / i   y at the start of a word, i elsewhere (Pashto ې is e)
   ه ة         h / a   a at the end of a word (zoda, zade), h elsewhere
   ث ص         s       Persian pronunciation, not Arabic th
   ذ ض ظ       z
   ع ء         (none)
   ==========  ======  ================================================================

3. anyascii for every other letter (Latin diacritics, Bengali, Georgian, ...).
4. Latin spelling variants, per word: dzh dj zh → j; kh x → h; gh → g; sh → s; ch ts → c; q → k; w → v;
   doubled letters collapse; yo yu ya ye, and ICAO's ia iu, → the vowel; y between vowels is dropped, y
   before a consonant or at the end becomes i (Kasymov/Kasimov, Serikbay/Serikbai); h after a vowel at the
   end of a word is dropped (Nasrulloh/Nasrullo); g between vowels becomes h, as Russian writes the Tajik
   and Arabic h (Ibragimov/Ibrohimov); Muhammad, Mohammad, Mukhammad and Magomed become muhamad.

So Рахимов, Rakhimov, Rahimov and Raximov fold to `rahimov`; Джураев, Dzhuraev, Juraev and Ҷӯраев to
`juraev`; Қодиров, Qodirov and Kodirov to `kodirov`.

A word's consonant skeleton drops the vowels and merges the consonants that transliterations confuse
(b p f v; d t; g h; k q; s z c), which also lines Arabic-script names up with their Latin spellings:
رحیمی and Rahimi are both `rhm`. The stored search key of a person starts with the skeletons of the
surname and the given name, so an index range finds every spelling of them:
`rhmb0brhd0rahimov farhod karimovic|rahimov farhod`.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

KEY_LENGTH = 300
SEPARATOR = "0"  # a digit: never in a folded name, and it sorts the same under every collation
VARIANT_SEPARATOR = "|"
MAX_WORDS = 8

_TABLE = {
    "ҷ": "j", "ж": "j", "ҳ": "h", "һ": "h", "х": "kh", "қ": "q", "ғ": "gh", "ӣ": "i", "і": "i",
    "ӯ": "u", "ү": "u", "ұ": "u", "ў": "o", "ө": "o", "ә": "a", "ң": "ng", "ц": "ts", "щ": "sh",
    "ё": "yo", "ъ": "", "ь": "",
    "ا": "a", "آ": "a", "أ": "a", "إ": "a", "ث": "s", "ص": "s", "ذ": "z", "ض": "z", "ظ": "z",
    "ع": "", "ء": "", "ې": "e",
}
_WORD_START = {"و": "v", "ی": "y", "ي": "y", "ى": "y", "ۍ": "y"}
_WORD_MIDDLE = {"و": "u", "ی": "i", "ي": "i", "ى": "i", "ۍ": "i"}
_WORD_END = {"ه": "a", "ة": "a"}
_JOINERS = frozenset("-'ʻʼ’‘`´ʹ\u200c\u200dـ")
_SPELLINGS = [
    (re.compile(r"dzh|dj|zh"), "j"), (re.compile(r"kh|x"), "h"), (re.compile(r"gh"), "g"),
    (re.compile(r"sh"), "s"), (re.compile(r"ch|ts"), "c"), (re.compile(r"q"), "k"), (re.compile(r"w"), "v"),
]
_TEXT_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u064b-\u065f\u0670\u200c\u200dـ'ʻʼ’‘`´ʹ-])+")
_DOUBLES = re.compile(r"(.)\1+")
_IOTATED = re.compile(r"y([aoue])|i([au])")
_Y_BETWEEN_VOWELS = re.compile(r"(?<=[aeiou])y(?=[aeiou])")
_Y_AS_VOWEL = re.compile(r"y(?![aeiou])")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
_G_BETWEEN_VOWELS = re.compile(r"(?<=[aeiou])g(?=[aeiou])")
_MUHAMMAD = re.compile(r"^m[aou]h[aeou]m+[aeiou]d")
_NOT_LATIN = re.compile(r"[^a-z]")
_VOWELS = re.compile(r"[aeiouy]")
_CLASSES = str.maketrans("pfvtgqzc", "bbbdhkss")
# Folded endings of surnames (Rahimov, Rahimova, Aliev, Rahimzoda, Rahimzade) and of patronymics
# (Karimovich, Karimovna, Karim ogli, Nurlanuly, Nurlanqizi), used to tell which word is the surname.
_SURNAME_ENDINGS = ("ov", "ova", "ev", "eva", "zoda", "zada", "zade", "zod")
_PATRONYMIC_ENDINGS = ("ovic", "evic", "ovna", "evna", "ogli", "ugli", "kizi")
# Kazakh and Kyrgyz -uly/-uulu join the father's name (Nurlanuly), but short names end so too (Rasuli).
_SHORT_PATRONYMIC_ENDINGS = ("uli", "ulu")
_SHORT_PATRONYMIC_MIN_LENGTH = 8


def _mapped(word: str) -> str:
    """One word with the region's letters mapped and the rest transliterated by anyascii."""
    out = []
    last = len(word) - 1
    for index, char in enumerate(word):
        if index == 0 and char in _WORD_START:
            out.append(_WORD_START[char])
        elif index == last and char in _WORD_END:
            out.append(_WORD_END[char])
        elif char in _WORD_MIDDLE:
            out.append(_WORD_MIDDLE[char])
        else:
            out.append(_TABLE[char] if char in _TABLE else anyascii(char))
    return "".join(out)


def _fold_word(word: str) -> str:
    """Latin spelling variants of one transliterated word folded to one spelling."""
    word = _NOT_LATIN.sub("", word.lower())
    for pattern, replacement in _SPELLINGS:
        word = pattern.sub(replacement, word)
    word = _DOUBLES.sub(r"\1", word)
    while (folded := _IOTATED.sub(r"\1\2", word)) != word:
        word = folded
    word = _Y_BETWEEN_VOWELS.sub("", word)
    word = _Y_AS_VOWEL.sub("i", word)
    word = _FINAL_H.sub("", word)
    word = _G_BETWEEN_VOWELS.sub("h", word)
    word = _MUHAMMAD.sub("muhamad", _DOUBLES.sub(r"\1", word))
    return word


def _raw_words(text: str) -> list[str]:
    """Words of the text: letters and marks; joiners glue, anything else separates. Symbols are dropped
    before NFKC, which would spell some of them out (№ → No)."""
    kept = "".join(char if unicodedata.category(char)[0] in "LM" else " "
                   for char in text if char not in _JOINERS)
    return unicodedata.normalize("NFKC", kept).casefold().split()


def name_tokens(text: str) -> list[str]:
    """The folded words of a name, in their order, empty words dropped (at most MAX_WORDS * 4)."""
    folded = (_fold_word(_mapped(word)) for word in _raw_words(text[: KEY_LENGTH * 4]))
    return [word for word in folded if word][: MAX_WORDS * 4]


@dataclass(frozen=True)
class TextWord:
    """One word of a free text: where it is, and the word folded as name_tokens folds it."""

    start: int
    end: int
    folded: str
    is_letter: bool  # a single capital letter, as an initial is written (Н. С. Каримова)


def text_words(text: str) -> list[TextWord]:
    """The words of a free text, split as name_tokens splits a name (joiners glue, anything else that
    is not a letter separates), with their places; words that fold to nothing are left out."""
    words: list[TextWord] = []
    for match in _TEXT_WORD.finditer(text):
        start, end = match.span()
        while start < end and text[start] in _JOINERS:
            start += 1
        while end > start and text[end - 1] in _JOINERS:
            end -= 1
        folded = " ".join(name_tokens(text[start:end]))
        if folded:
            words.append(TextWord(start, end, folded, end - start == 1 and not text[start].islower()))
    return words


def name_key(text: str) -> str:
    """The folded name: Рахимов Фарход, RAKHIMOV Farkhod and Raximov Farhod all give `rahimov farhod`."""
    return " ".join(name_tokens(text))


@lru_cache(maxsize=65_536)
def skeleton(token: str) -> str:
    """The consonants of a folded word, in classes transliterations confuse: rahimov → rhmb."""
    return _DOUBLES.sub(r"\1", _VOWELS.sub("", token).translate(_CLASSES))


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


def is_patronymic(token: str) -> bool:
    return token.endswith(_PATRONYMIC_ENDINGS) or token in _SHORT_PATRONYMIC_ENDINGS or (
        len(token) >= _SHORT_PATRONYMIC_MIN_LENGTH and token.endswith(_SHORT_PATRONYMIC_ENDINGS))


def _surname_and_given(variants: Sequence[tuple[str, list[str]]]) -> tuple[str, str]:
    """Which words are the surname and the given name: a word with a surname ending, else the first
    word of a Cyrillic-script name (CIS order), else the last word (Latin and Arabic-script order)."""
    for _text, tokens in variants:
        for position, token in enumerate(tokens):
            if token.endswith(_SURNAME_ENDINGS) and not is_patronymic(token):
                return token, _given(tokens, position)
    text, tokens = variants[0]
    position = 0 if is_cyrillic(text) else len(tokens) - 1
    return tokens[position], _given(tokens, position)


def _given(tokens: list[str], surname_at: int) -> str:
    others = [t for i, t in enumerate(tokens) if i != surname_at and not is_patronymic(t)]
    return others[0] if others else ""


def block_prefix(surname: str, given: str | None = None) -> str:
    """The start of the stored keys of persons with this surname (and given name), for an index range."""
    prefix = skeleton(surname) + SEPARATOR
    return prefix if given is None else prefix + skeleton(given) + SEPARATOR


def split_names(text: str) -> list[str]:
    """The names in a free-text list of other names and spellings: one per line or per semicolon."""
    return [part.strip() for part in re.split(r"[\n;]", text) if part.strip()]


def search_key(names: Iterable[str]) -> str:
    """The key stored in Person.name_key: the surname and given-name skeletons, then every distinct
    folded spelling, cut at KEY_LENGTH on a spelling boundary. Empty when no name has a letter."""
    variants = [(text, tokens) for text in names if (tokens := name_tokens(text))]
    if not variants:
        return ""
    surname, given = _surname_and_given(variants)
    key = block_prefix(surname, given)
    spellings: list[str] = []
    for _text, tokens in variants:
        spelling = " ".join(tokens[:MAX_WORDS])
        if spelling in spellings:
            continue
        joined = VARIANT_SEPARATOR.join([*spellings, spelling])
        if len(key) + len(joined) > KEY_LENGTH:
            break
        spellings.append(spelling)
    return key + VARIANT_SEPARATOR.join(spellings)


def person_names(name_original: str, name_cyrillic: str = "", name_latin: str = "",
                 aliases: str = "") -> list[str]:
    """The names a person record is known by, the original script first (it tells the name order)."""
    return [name_original, name_cyrillic, name_latin, *split_names(aliases)]


def person_key(*, name_original: str, name_cyrillic: str = "", name_latin: str = "", aliases: str = "",
               is_protected: bool = False) -> str:
    """What Person.name_key stores: empty for a protected person, whose real name is never matched."""
    if is_protected:
        return ""
    return search_key(person_names(name_original, name_cyrillic, name_latin, aliases))


def stored_spellings(key: str) -> list[str]:
    """The folded spellings in a stored search key."""
    parts = key.split(SEPARATOR, 2)
    return parts[2].split(VARIANT_SEPARATOR) if len(parts) == 3 and parts[2] else []


@dataclass(frozen=True)
class NameQuery:
    """A name as the user typed it, folded: its words and the key prefixes worth looking up."""

    tokens: tuple[str, ...]

    @property
    def key(self) -> str:
        return " ".join(self.tokens)

    def prefixes(self, max_words: int = 3) -> list[str]:
        """Surname-and-given-name prefixes for each ordered pair of words, then surname-only ones."""
        words = [t for t in dict.fromkeys(self.tokens) if skeleton(t) and not is_patronymic(t)][:max_words]
        pairs = [block_prefix(a, b) for a in words for b in words if a != b]
        return list(dict.fromkeys([*pairs, *(block_prefix(a) for a in words)]))

    def typo_prefixes(self, max_words: int = 2) -> list[str]:
        """Surname prefixes with one consonant of the skeleton left out, for a typed extra letter
        (Rahkimov) or a stored one the user left out: tried when nothing else matches."""
        frames = [skeleton(t) for t in dict.fromkeys(self.tokens) if not is_patronymic(t)][:max_words]
        return list(dict.fromkeys(frame[:i] + frame[i + 1:] + SEPARATOR for frame in frames if len(frame) >= 3
                                  for i in range(len(frame))))
