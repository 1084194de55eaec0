"""Issue 17, item 9 in the browser: choosing the partner country on the request form fills in the
profile's addressee, language, channel and the legal bases that fit the offence, without reloading the
page and without losing what was typed."""

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_request_journey import sign_in

KZ_AUTHORITY = "Генеральная прокуратура Республики Казахстан"


def test_choosing_the_country_fills_in_the_profile_and_keeps_what_was_typed(page: Page, live_server: str
                                                                            ) -> None:
    sign_in(page, live_server, "drafter@demo.mla.tj")
    page.goto(f"{live_server}/requests/new?direction=outgoing&kind=mla")
    page.evaluate("window.notReloaded = true")
    subject = page.get_by_label("Subject matter and nature of the proceedings")
    subject.fill("Вербовка граждан для работы в Алматы")
    page.get_by_label("Contact person for clarifications").fill("Прокурор Каримов")
    page.get_by_label("Offence category").select_option("trafficking_in_persons")

    page.get_by_label("Partner country").select_option("KZ")

    expect(page.get_by_label("Addressee (central or competent authority)")).to_have_value(KZ_AUTHORITY)
    expect(page.get_by_label("Language of the request")).to_have_value("ru")
    expect(page.get_by_label("Channel")).to_have_value("central_authority")
    for code in ("untoc", "tip_protocol", "minsk_1993"):
        expect(page.locator(f"input[name='legal_bases'][value='{code}']")).to_be_checked()
    for code in ("uncac", "som_protocol", "reciprocity"):
        expect(page.locator(f"input[name='legal_bases'][value='{code}']")).not_to_be_checked()
    expect(page.get_by_test_id("profile-status")).to_contain_text("Kazakhstan")
    expect(page.get_by_test_id("profile-unverified")).to_contain_text("not verified yet")
    expect(page.locator("#request_language option[value='en']")).to_contain_text("not accepted by Kazakhstan")
    expect(subject).to_have_value("Вербовка граждан для работы в Алматы")
    expect(page.get_by_label("Contact person for clarifications")).to_have_value("Прокурор Каримов")
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("Offence category").select_option("smuggling_of_migrants")
    expect(page.locator("input[name='legal_bases'][value='som_protocol']")).to_be_checked()
    expect(page.locator("input[name='legal_bases'][value='tip_protocol']")).not_to_be_checked()

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("stage")).to_have_text("Draft")
    expect(page.get_by_test_id("parties")).to_contain_text(KZ_AUTHORITY)
    expect(page.get_by_test_id("facts")).to_contain_text("Прокурор Каримов")


def test_without_script_the_button_fills_in_and_enter_still_saves(browser: Browser, live_server: str) -> None:
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "drafter@demo.mla.tj")
    page.goto(f"{live_server}/requests/new?direction=outgoing&kind=mla")
    subject = page.get_by_label("Subject matter and nature of the proceedings")
    subject.fill("Вербовка граждан")
    page.get_by_label("Offence category").select_option("trafficking_in_persons")
    page.get_by_label("Partner country").select_option("KZ")
    page.get_by_role("button", name="Fill in from the country profile").click()
    expect(page.get_by_label("Addressee (central or competent authority)")).to_have_value(KZ_AUTHORITY)
    expect(page.locator("input[name='legal_bases'][value='tip_protocol']")).to_be_checked()
    expect(subject).to_have_value("Вербовка граждан")
    page.get_by_label("National case number").fill("2026/118")
    page.get_by_label("National case number").press("Enter")
    expect(page.get_by_test_id("stage")).to_have_text("Draft")
    expect(page.get_by_test_id("facts")).to_contain_text("2026/118")
    context.close()
