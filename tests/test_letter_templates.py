"""The letter templates as documents: manifest, text snapshots per kind and language, right-to-left markup,
hostile values, the compiled path against docxtpl's own, threads, template checks, LibreOffice output."""
from __future__ import annotations

import difflib
import io
import os
import re
import subprocess
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from babel import localedata
from docx import Document
from lxml import etree

from mla.cli.letters import check_templates
from mla.documents.catalog import load_catalog
from mla.documents.context import LetterFacts, MeasureEntry, PersonEntry, build_context, clean
from mla.documents.pdf import convert_to_pdf, page_count, soffice_path
from mla.documents.render import render_docx, render_docx_stock
from mla.documents.validation import HOSTILE, SCRIPTS, check_template, sample_facts
from mla.domain.enums import LetterKind
from mla.reference.loader import load_reference

SNAPSHOTS = Path(__file__).parent / "snapshots" / "letters"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CATALOG = load_catalog()
REFERENCE = load_reference()
TEMPLATES = [(kind, lang) for kind, entry in CATALOG.kinds.items() for lang in entry.languages]
RTL_TEMPLATES = [(kind, lang) for kind, lang in TEMPLATES if REFERENCE.languages[lang].is_rtl]
ELEVEN = ["en", "ru", "tg", "uz_Latn", "kk", "ky", "fa_AF", "ps", "ur", "ar", "fa"]
DAY = date(2026, 11, 23)
SNAPSHOT_FACTS = LetterFacts(
    direction="outgoing", reference="OUT-MLA-2026-0042", country_iso2="KZ", home_iso2="TJ", letter_on=DAY,
    drafting_language="ru", sender="[sender]", recipient="[recipient]", partner_reference="KZ-2026/117",
    outgoing_number="12-3/0042", case_number="2026/1105", case_stage="pre_trial",
    conducting_authority="[conducting authority]", legal_bases=("untoc",), subject_matter="[subject]",
    facts_summary="[facts]", offences="[offences]", dual_criminality_note="[dual criminality]",
    purpose="[purpose]", evidence_location_reason="[evidence location]", is_urgent=True,
    deadline_on=date(2027, 1, 15), deadline_reason="[deadline reason]", is_confidential=True,
    confidentiality_reason="[confidentiality reason]", use_restrictions="[use restrictions]",
    victim_protection="[victim protection]", contact_person="[contact]", handling_code="H2",
    transmitted_on=date(2026, 10, 1), received_on=date(2026, 10, 2), acknowledged_on=date(2026, 10, 9),
    original_reference="OUT-MLA-2026-0007", original_outgoing_number="12-3/0007",
    original_sent_on=date(2026, 6, 1), signatory_name="[signatory]", signatory_position="[position]",
    persons=(PersonEntry(role="suspect", name_original="Рахимов Фарход", name_latin="Rakhimov Farkhod",
                         birth_date=date(1990, 3, 12), nationality="TJ", id_documents="[passport]"),
             PersonEntry(role="victim", name_original="Қодирова Нилуфар", is_protected=True,
                         pseudonym="P-1")),
    measures=(MeasureEntry("statement", "[details 1]", "[procedure 1]", "executed", "[result 1]"),
              MeasureEntry("records_bank", "[details 2]", "", "partially_executed", "")))


def text_of(docx: bytes) -> str:
    """The visible text of a letter opened with python-docx, a line per paragraph (table cells included),
    in document order; a line break inside a paragraph stays a line break."""
    root = Document(io.BytesIO(docx)).element.body
    lines = ["".join("\n" if node.tag == f"{{{W}}}br" else node.text or ""
                     for node in paragraph.iter(f"{{{W}}}t", f"{{{W}}}br")).rstrip()
             for paragraph in root.iter(f"{{{W}}}p")]
    return "\n".join(lines).strip() + "\n"


def render(kind: LetterKind, language: str, facts: LetterFacts = SNAPSHOT_FACTS) -> bytes:
    context = build_context(facts, REFERENCE.languages[language], CATALOG.wordings[language])
    return render_docx(CATALOG.shipped_template(kind, language), context)


def test_manifest_covers_every_kind_and_language() -> None:
    for kind in LetterKind:
        assert {"en", "ru", "tg"} <= set(CATALOG.kinds[kind].languages), kind
    for kind in (LetterKind.MLA_REQUEST, LetterKind.STATUS_ENQUIRY, LetterKind.ACKNOWLEDGEMENT):
        assert CATALOG.kinds[kind].languages == tuple(ELEVEN)
    for kind, language in TEMPLATES:
        assert CATALOG.template_path(kind, language).is_file()
        assert CATALOG.kinds[kind].needs_review[language] is (language not in {"en", "ru"})
        assert localedata.exists(REFERENCE.languages[language].babel_locale)
    assert "prs" not in CATALOG.languages() and "fa_AF" in CATALOG.languages()


@pytest.mark.parametrize(("kind", "language"), TEMPLATES, ids=[f"{k.value}-{lang}" for k, lang in TEMPLATES])
def test_text_snapshot(kind: LetterKind, language: str) -> None:
    text = text_of(render(kind, language))
    path = SNAPSHOTS / kind.value / f"{language}.txt"
    if os.environ.get("MLA_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True)))


def test_dates_and_digits_follow_the_letter_language_not_the_interface() -> None:
    assert "23 ноября 2026\u00a0г." in text_of(render(LetterKind.MLA_REQUEST, "ru"))
    assert "23 November 2026" in text_of(render(LetterKind.MLA_REQUEST, "en"))
    dari = text_of(render(LetterKind.ACKNOWLEDGEMENT, "fa_AF"))
    assert "۲ قوس ۱۴۰۵ هـ.ش. (۲۳ نومبر ۲۰۲۶ م.)" in dari  # Solar Hijri first, then Gregorian
    assert "OUT-MLA-2026-0042" in dari  # references keep Latin digits
    assert "Қазоқистон" in text_of(render(LetterKind.MLA_REQUEST, "tg"))  # country name in Tajik
    assert "Казахстан" in text_of(render(LetterKind.MLA_REQUEST, "ru"))


def test_protected_person_appears_under_pseudonym_unless_disclosed() -> None:
    hidden = text_of(render(LetterKind.MLA_REQUEST, "en"))
    assert "P-1" in hidden and "Қодирова" not in hidden and "protected person: identity withheld" in hidden
    disclosed = PersonEntry(role="victim", name_original="Қодирова Нилуфар", is_protected=True,
                            pseudonym="P-1", disclose_identity=True)
    facts = LetterFacts(**{**SNAPSHOT_FACTS.__dict__, "persons": (disclosed,)})
    shown = text_of(render(LetterKind.MLA_REQUEST, "en", facts))
    assert "Қодирова Нилуфар" in shown and "P-1" not in shown
    assert "Rakhimov Farkhod" in hidden  # the second script beside the original


@pytest.mark.parametrize(("kind", "language"), RTL_TEMPLATES,
                         ids=[f"{k.value}-{g}" for k, g in RTL_TEMPLATES])
def test_right_to_left_output_carries_bidi(kind: LetterKind, language: str) -> None:
    archive = zipfile.ZipFile(io.BytesIO(render(kind, language)))
    document = etree.fromstring(archive.read("word/document.xml"))
    ns = {"w": W}
    paragraphs = [p for p in document.iter(f"{{{W}}}p") if "".join(p.itertext()).strip()]
    assert paragraphs and all(p.find("w:pPr/w:bidi", ns) is not None for p in paragraphs)
    assert document.find("w:body/w:sectPr/w:bidi", ns) is not None
    assert all(t.find("w:tblPr/w:bidiVisual", ns) is not None for t in document.iter(f"{{{W}}}tbl"))
    styles = archive.read("word/styles.xml").decode()
    font = "Noto Nastaliq Urdu" if language == "ur" else "Noto Naskh Arabic"
    assert f'w:cs="{font}"' in styles and "<w:rtl/>" in styles


@pytest.mark.parametrize(("kind", "language"), TEMPLATES, ids=[f"{k.value}-{lang}" for k, lang in TEMPLATES])
def test_hostile_values_keep_every_paragraph(kind: LetterKind, language: str) -> None:
    plain, hostile = render(kind, language, sample_facts(hostile=False)), render(kind, language,
                                                                                sample_facts(hostile=True))
    count = [len(etree.fromstring(zipfile.ZipFile(io.BytesIO(d)).read("word/document.xml"))
                 .findall(f".//{{{W}}}p")) for d in (plain, hostile)]
    assert count[0] == count[1]
    text = text_of(hostile)
    assert HOSTILE in text and "49" not in text.replace("2026", "")
    assert all(part.strip() in text for part in SCRIPTS.split("·"))
    assert text.count("long text") >= 400


def test_unsafe_characters_are_removed_before_rendering() -> None:
    assert clean("a\x00b\x0bc\u202ed\r\ne\x7f") == "abcd\ne"
    facts = LetterFacts(**{**SNAPSHOT_FACTS.__dict__, "facts_summary": "start\x01\x0c\u202eend"})
    assert "startend" in text_of(render(LetterKind.MLA_REQUEST, "ru", facts))


def test_compiled_path_matches_docxtpl_stock_path() -> None:
    data = CATALOG.shipped_template(LetterKind.MLA_REQUEST, "ru")
    context = build_context(sample_facts(hostile=True), REFERENCE.languages["ru"], CATALOG.wordings["ru"])
    fast, stock = render_docx(data, context), render_docx_stock(data, context)
    assert text_of(fast) == text_of(stock)
    assert [p.text for p in Document(io.BytesIO(fast)).sections[0].footer.paragraphs] == [
        p.text for p in Document(io.BytesIO(stock)).sections[0].footer.paragraphs]
    assert Document(io.BytesIO(fast)).core_properties.title == "OUT-MLA-2026-0001"


def test_renders_from_many_threads_agree() -> None:
    data = CATALOG.shipped_template(LetterKind.MLA_REQUEST, "fa_AF")
    facts = [LetterFacts(**{**SNAPSHOT_FACTS.__dict__, "reference": f"OUT-MLA-2026-{n:04d}"})
             for n in range(64)]
    wording, spec = CATALOG.wordings["fa_AF"], REFERENCE.languages["fa_AF"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        outputs = list(pool.map(lambda f: text_of(render_docx(data, build_context(f, spec, wording))), facts))
    for number, text in enumerate(outputs):
        assert f"OUT-MLA-2026-{number:04d}" in text
        assert text.replace(f"OUT-MLA-2026-{number:04d}", "#") == outputs[0].replace("OUT-MLA-2026-0000", "#")


def make_template(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


BAD_TEMPLATES = {
    "syntax error": (("{{ our_reference }", "{% if urgent %}x"), "syntax error"),
    "forbidden attribute": (("{{ our_reference.__class__ }}",), "internal attributes (__class__)"),
    "unknown variable": (("{{ secret_key }}",), "variables that letters do not have: secret_key"),
    "tag split across paragraphs": (("{{ our_", "reference }}"), "starts in one paragraph and ends in"),
    "text beside a paragraph tag": (("{%p if urgent %} lost words", "x", "{%p endif %}"), "would be lost"),
}


@pytest.mark.parametrize("case", sorted(BAD_TEMPLATES))
def test_bad_templates_are_refused_with_the_reason(case: str) -> None:
    paragraphs, reason = BAD_TEMPLATES[case]
    problems = check_template(make_template(*paragraphs), language="en")
    assert any(reason in problem.text() for problem in problems), [p.text() for p in problems]


def test_a_runtime_sandbox_escape_is_refused() -> None:
    data = make_template("{{ (persons|first)['role'].__class__ }}", "{{ cycler }}")
    texts = [p.text() for p in check_template(data, language="en")]
    assert any("__class__" in text or "cycler" in text for text in texts), texts
    assert check_template(b"not a zip", language="en")[0].text().startswith(
        "The file is not a Word document")


def test_rtl_template_without_bidi_is_refused() -> None:
    data = make_template("{{ our_reference }}", "{{ letter_date }}")
    texts = [p.text() for p in check_template(data, language="fa_AF")]
    assert any("w:bidi" in text for text in texts) and any("complex-script font" in text for text in texts)
    assert check_template(data, language="en") == []


def test_check_templates_passes_the_shipped_set_and_fails_a_broken_one(tmp_path: Path) -> None:
    lines: list[str] = []
    assert check_templates(echo=lines.append) == 0, "\n".join(lines)
    assert lines[-1] == "All templates passed."
    assert len([line for line in lines if line.startswith("ok")]) == len(TEMPLATES) == 42
    broken = tmp_path / "letter_templates"
    subprocess.run(["cp", "-r", str(CATALOG.directory), str(broken)], check=True)
    (broken / "status_enquiry" / "en.docx").write_bytes(make_template("{{ our_reference.__class__ }}"))
    (broken / "status_enquiry" / "xx.docx").write_bytes(make_template("stray"))
    lines.clear()
    assert check_templates(broken, echo=lines.append) == 1
    report = "\n".join(lines)
    assert "FAIL status_enquiry/en.docx" in report and "__class__" in report
    assert "status_enquiry/xx.docx: not listed in manifest.toml" in report


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed: "
                    "apt-get install libreoffice-writer-nogui fonts-noto-core fonts-liberation2")
def test_every_template_output_opens_in_libreoffice() -> None:
    """Every rendered template becomes a PDF of at least one page (one soffice run for all, ~10-20 s)."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for kind, language in TEMPLATES:
            (folder / f"{kind.value}-{language}.docx").write_bytes(render(kind, language))
        documents = sorted(str(path) for path in folder.glob("*.docx"))
        command = [soffice_path(), "--headless", "--norestore",
                   f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(folder), *documents]
        subprocess.run(command, capture_output=True, timeout=600, check=False)
        counts = {pdf.stem: page_count(pdf.read_bytes()) for pdf in folder.glob("*.pdf")}
    assert {f"{kind.value}-{lang}" for kind, lang in TEMPLATES} == set(counts)
    assert all(count >= 1 for count in counts.values()), counts
    assert counts["mla_request-ru"] >= 2
    assert page_count(convert_to_pdf(render(LetterKind.STATUS_ENQUIRY, "ru"))) >= 1


def test_snapshot_files_are_all_used() -> None:
    expected = {f"{kind.value}/{lang}.txt" for kind, lang in TEMPLATES}
    present = {str(p.relative_to(SNAPSHOTS)) for p in SNAPSHOTS.glob("*/*.txt")}
    assert present == expected
    assert not [p for p in present if re.search(r"\s", p)]
