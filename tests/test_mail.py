"""Mail against a real SMTP server (aiosmtpd on 127.0.0.1): one connection for many messages, UTF-8,
text + HTML + .ics, refusals and unreachable servers as clear errors; the digest's content; the settings."""
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from babel.support import Translations
from icalendar import Calendar

from config import ConfigError, load_config
from mla.catalogs import TRANSLATIONS_DIR
from mla.domain.enums import ClockKind
from mla.notify.digest import Digest, DigestItem, EmptyDigest, compose_digest
from mla.notify.ical import clock_uid
from mla.notify.mail import MailRefused, MailUnavailable
from tests.smtp_server import SmtpServer, free_port, running_smtp_server

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
RU = Translations.load(str(TRANSLATIONS_DIR), ["ru"])

@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        yield server



def item(clock_id: int, due_on: date, *, kind: ClockKind = ClockKind.ACKNOWLEDGEMENT_EXPECTED,
         level: int = 0, country: str = "KZ") -> DigestItem:
    return DigestItem(clock_id=clock_id, request_id=100 + clock_id, reference=f"OUT-MLA-2026/{clock_id:04d}",
                      country_iso2=country, kind=kind, due_on=due_on, revision=2, escalation_level=level)


def digest(*items: DigestItem, locale: str = "ru", to: str = "zarina@example.org") -> Digest:
    return Digest(recipient_email=to, recipient_name="Зарина Исмоилова", locale=locale, today=TODAY,
                  items=items, base_url="https://mla.example")


def test_one_connection_carries_every_message_of_a_sweep(smtp: SmtpServer) -> None:
    mailer = smtp.mailer()
    with mailer.connect() as connection:
        for number in range(5):
            connection.send(compose_digest(digest(item(number, TODAY), to=f"p{number}@example.org"),
                                           sender=mailer.sender, now=NOW))
    assert len(smtp.sink.messages) == 5
    assert smtp.sink.connections == 1
    assert mailer.connections_opened == 1


def test_a_connection_with_nothing_to_send_never_dials(smtp: SmtpServer) -> None:
    mailer = smtp.mailer()
    with mailer.connect():
        pass
    assert smtp.sink.connections == 0


def test_utf8_subject_text_html_and_ics_arrive_intact(smtp: SmtpServer) -> None:
    mailer = smtp.mailer(sender="Прокуратура / دادستانی <mla@example.org>")
    sent = compose_digest(digest(item(1, date(2026, 11, 27)), item(2, TODAY, kind=ClockKind.STATUS_ENQUIRY),
                                 item(3, date(2026, 11, 18), level=1)), sender=mailer.sender, now=NOW)
    with mailer.connect() as connection:
        connection.send(sent)
    received = smtp.sink.messages[0]
    assert received["Subject"] == sent["Subject"]
    counts = RU.gettext("MLA tracker, %(date)s: %(overdue)d overdue, %(today)d due today, %(soon)d due soon")
    assert received["Subject"] == counts % {"date": "23 ноября 2026\u202fг.", "overdue": 1, "today": 1,
                                            "soon": 1}
    assert "دادستانی" in received["From"]
    text = received.get_body(("plain",)).get_content()
    assert "Зарина Исмоилова" in text and "Казахстан" in text
    # sections in the order due soon, due today, overdue
    assert text.index("0001") < text.index("0002") < text.index("0003")
    assert "https://mla.example/requests/101" in text
    html = received.get_body(("html",)).get_content()
    assert 'lang="ru"' in html and 'dir="ltr"' in html and "0003" in html
    [attachment] = list(received.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "deadlines.ics"
    events = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {clock_uid(1), clock_uid(2), clock_uid(3)}
    assert {e.decoded("DTSTART") for e in events} == {date(2026, 11, 27), TODAY, date(2026, 11, 18)}
    assert all(int(e["SEQUENCE"]) == 2 for e in events)


def test_a_right_to_left_recipient_gets_a_right_to_left_message() -> None:
    message = compose_digest(digest(item(1, TODAY, country="AF"), locale="fa_AF"), sender="a@b.org", now=NOW)
    html = message.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and 'lang="fa-AF"' in html
    assert "افغانستان" in html  # the country's name from CLDR in Dari


def test_a_clock_held_twice_shows_once_at_its_highest_escalation() -> None:
    message = compose_digest(digest(item(7, date(2026, 11, 10)), item(7, date(2026, 11, 10), level=2)),
                             sender="a@b.org", now=NOW)
    text = message.get_body(("plain",)).get_content()
    assert text.count("OUT-MLA-2026/0007") == 1
    assert RU.gettext("escalation, level %(level)d") % {"level": 2} in text


def test_an_unknown_locale_falls_back_to_english() -> None:
    message = compose_digest(digest(item(1, TODAY), locale="xx_YY"), sender="a@b.org", now=NOW)
    assert "Kazakhstan" in message.get_body(("plain",)).get_content()


def test_an_empty_digest_is_never_composed() -> None:
    with pytest.raises(EmptyDigest):
        compose_digest(digest(), sender="a@b.org", now=NOW)


def test_a_refused_recipient_is_a_refusal_and_the_connection_goes_on(smtp: SmtpServer) -> None:
    smtp.sink.refuse = {"gone@example.org"}
    mailer = smtp.mailer()
    with mailer.connect() as connection:
        with pytest.raises(MailRefused, match="550"):
            connection.send(compose_digest(digest(item(1, TODAY), to="gone@example.org"),
                                           sender=mailer.sender, now=NOW))
        connection.send(compose_digest(digest(item(2, TODAY)), sender=mailer.sender, now=NOW))
    assert [m["To"] for m in smtp.sink.messages] == ["zarina@example.org"]
    assert smtp.sink.connections == 1


def test_an_unreachable_server_is_unavailable_not_a_crash() -> None:
    from tests.smtp_server import Sink
    from tests.smtp_server import SmtpServer as Server

    mailer = Server(Sink(), free_port()).mailer(timeout=2)
    with mailer.connect() as connection, pytest.raises(MailUnavailable, match="cannot reach SMTP server"):
        connection.send(compose_digest(digest(item(1, TODAY)), sender=mailer.sender, now=NOW))


def test_starttls_against_a_server_without_it_is_unavailable(smtp: SmtpServer) -> None:
    mailer = smtp.mailer(security="starttls")
    with mailer.connect() as connection, pytest.raises(MailUnavailable, match="STARTTLS"):
        connection.send(compose_digest(digest(item(1, TODAY)), sender=mailer.sender, now=NOW))
    assert smtp.sink.messages == []


def test_mail_settings_defaults() -> None:
    # testing: development would make its secret key in ./instance
    config = load_config("testing", environ={})
    assert config["SMTP_HOST"] == "" and config["SMTP_SECURITY"] == "starttls" and config["SMTP_PORT"] == 587
    assert config["REMINDER_OFFSETS"] == (1, 5) and config["ESCALATION_DAYS"] == (3, 10)
    assert load_config("testing", environ={"MLA_SMTP_SECURITY": "SSL"})["SMTP_PORT"] == 465


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"MLA_SMTP_SECURITY": "tls"}, "MLA_SMTP_SECURITY"),
        ({"MLA_SMTP_PORT": "70000"}, "MLA_SMTP_PORT"),
        ({"MLA_SMTP_PORT": "smtp"}, "MLA_SMTP_PORT"),
        ({"MLA_SMTP_TIMEOUT": "0"}, "MLA_SMTP_TIMEOUT"),
        ({"MLA_MAIL_FROM": "nobody"}, "MLA_MAIL_FROM"),
        ({"MLA_REMINDER_OFFSETS": "5,x"}, "MLA_REMINDER_OFFSETS"),
        ({"MLA_REMINDER_OFFSETS": "0"}, "MLA_REMINDER_OFFSETS"),
        ({"MLA_ESCALATION_DAYS": "3,3"}, "MLA_ESCALATION_DAYS"),
        ({"MLA_WORKING_HOURS": "18:00-08:00"}, "MLA_WORKING_HOURS"),
        ({"MLA_WORKING_HOURS": "morning"}, "MLA_WORKING_HOURS"),
    ],
)
def test_malformed_mail_settings_are_named(environ: dict, named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_config(environ=environ)
