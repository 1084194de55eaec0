"""Finding a protected person's recorded names in free text, in every script and the initials form, and
writing the pseudonym in their place (domain.protected_names)."""
import pytest

from mla.domain.protected_names import FreeText, ProtectedPerson, find_name, name_hits, pseudonymised

VICTIM = ProtectedPerson.of("P-1", name_original="Қодирова Нилуфар", name_cyrillic="Кодирова Нилуфар",
                            name_latin="Qodirova Nilufar", aliases="Нилу", patronymic="Саидовна")


def found(text: str, person: ProtectedPerson = VICTIM) -> list[str]:
    return [text[start:end] for start, end in find_name(text, person)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Допросить потерпевшую Кодирову Нилуфар Саидовну.", ["Кодирову Нилуфар Саидовну"]),
    ("Допросить Қодирова Нилуфар о вербовке.", ["Қодирова Нилуфар"]),
    ("Interview Nilufar Kodirova about the recruitment.", ["Nilufar Kodirova"]),
    ("Interview NILUFAR QODIROVA.", ["NILUFAR QODIROVA"]),
    ("Допросить Кодирову Н.С. об обстоятельствах.", ["Кодирову Н.С."]),
    ("Допросить Кодирову Н.С. Затем составить протокол.", ["Кодирову Н.С"]),
    ("Допросить Кодирову Н.С.", ["Кодирову Н.С"]),
    ("Допросить Н. Кодирову.", ["Н. Кодирову"]),
    ("Interview N. Qodirova, then the others.", ["N. Qodirova"]),
    ("Свидетель Нилу видела подозреваемого.", ["Нилу"]),
    ("Допросить Нилуфар Саидовну.", ["Нилуфар Саидовну"]),
    ("Допрос Кодировой и Нилуфар.", []),  # two words of the name, each alone
    ("Допросить Кодирову о вербовке.", []),  # the surname alone
    ("Допросить Нилуфар о вербовке.", []),
    ("Допрос К. и Н. о вербовке.", []),
    ("", []),
])
def test_every_recorded_form_is_found_in_any_script_and_with_initials(text: str, expected: list[str]) -> None:
    assert found(text) == expected


def test_an_arabic_script_name_is_found_in_latin_and_in_its_own_script() -> None:
    person = ProtectedPerson.of("P-2", name_original="احمد رحیمی", name_latin="Ahmad Rahimi")
    assert found("شهادت احمد رحیمی ثبت شود", person) == ["احمد رحیمی"]
    assert found("Record the statement of Ahmad Rahimi.", person) == ["Ahmad Rahimi"]


def test_the_pseudonym_replaces_every_occurrence_and_leaves_the_rest() -> None:
    text = "Допросить Кодирову Нилуфар Саидовну; показания Nilufar Qodirova приложить. Рахимов Фарход."
    suspect = ProtectedPerson.of("", name_original="Рахимов Фарход")
    assert pseudonymised(text, [VICTIM, suspect]) == "Допросить P-1; показания P-1 приложить. Рахимов Фарход."


def test_hits_name_the_text_and_the_pseudonym_only() -> None:
    texts = [FreeText("facts_summary", "facts_summary", "Потерпевшая Кодирова Нилуфар вывезена."),
             FreeText("measure:7:details", "details", "Допрос свидетеля.", 1)]
    hits = name_hits(texts, [VICTIM])
    assert [(hit.text.key, hit.pseudonym, len(hit.spans)) for hit in hits] == [("facts_summary", "P-1", 1)]
