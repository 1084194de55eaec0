"""A newcomer signs in as each demo role and lands on that role's home page."""
import pytest
from playwright.sync_api import Page, expect

from mla.demo.data import DEMO_PASSWORD, USERS

ROLE_TITLES = {
    "drafter": "Drafter: what needs doing",
    "desk": "International cooperation desk: what needs doing",
    "translator": "Translator: what needs doing",
    "manager": "Manager: what needs doing",
    "admin": "Administration",
}
FIRST_OF_EACH_ROLE = {role.value: email for email, _name, role, _office in reversed(USERS)}


@pytest.mark.parametrize("role", sorted(ROLE_TITLES))
def test_each_role_signs_in_and_sees_its_home(page: Page, live_server: str, role: str) -> None:
    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/sign-in?next=/")
    page.get_by_label("E-mail address").fill(FIRST_OF_EACH_ROLE[role])
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("home-title")).to_have_text(ROLE_TITLES[role])
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server}/sign-in")


def test_wrong_password_shows_a_message_on_the_sign_in_page(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("E-mail address").fill("desk@demo.mla.tj")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The e-mail address or the password is not correct.")
    expect(page.get_by_label("E-mail address")).to_have_value("desk@demo.mla.tj")
