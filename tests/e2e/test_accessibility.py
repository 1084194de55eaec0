"""WCAG 2.1 AA in a real browser (issue 17, item 13): axe-core finds nothing on any page a role reaches,
in English and in Dari; since axe leaves joined Arabic-script text out of its contrast check, every text
of the Dari pages is also measured against its background by computed colours. A refused form moves the
focus to its error summary, the focus is visible on the dark navigation bar, and the users' list does
not scroll sideways at 200% zoom.

axe-core is vendored from the npm registry in tests/vendor/ (it is never served to users). It goes into
each page as an init script: a <script> tag added to the page would be inline code, which the CSP
refuses, and the pages are tested as served."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_languages import sign_in, walk

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
ROLES = ("drafter", "desk", "translator", "manager", "admin")

# WCAG 2.0 and 2.1, A and AA, and axe's best practices (landmarks, headings, table headers).
AXE_JS = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
  const where = v => v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ');
  return result.violations.map(v => `${v.id}: ${where(v)}`);
}"""

# Every visible text against the background it is drawn on, from computed colours (WCAG 1.4.3: 4.5:1,
# 3:1 for large text). Text that is disabled, visually hidden or on a background image is left out.
CONTRAST_JS = """() => {
  const rgba = text => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const luminance = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const backgroundOf = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.backgroundImage !== 'none' && e.tagName !== 'SELECT') return null;
      const c = rgba(style.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const failures = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!own || el.closest('svg, script, style, option, .visually-hidden, :disabled, .disabled')) continue;
    if (el.closest('.visually-hidden-focusable') && !el.closest(':focus-within')) continue;
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility !== 'visible') continue;
    const background = backgroundOf(el), color = rgba(style.color);
    if (!background || !color) continue;
    const a = luminance(over(color, background)), b = luminance(background);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) {
      const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
      failures.push(`${name} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
  }
  return failures;
}"""


def email_of(role: str) -> str:
    return f"{role}@demo.mla.tj"


@pytest.mark.parametrize("locale", ["en", "fa_AF"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe_and_its_text_is_readable(page: Page, live_server: str, role: str,
                                                        locale: str) -> None:
    page.add_init_script(path=str(AXE))
    sign_in(page, live_server, email_of(role), locale)
    problems: dict[str, list[str]] = {}
    visited = 0
    for url in walk(page, live_server):
        visited += 1
        found = page.evaluate(AXE_JS) + page.evaluate(CONTRAST_JS)
        if found:
            problems[url.removeprefix(live_server)] = found
    assert visited >= 3
    assert problems == {}, problems


def test_a_refused_form_takes_the_focus_to_its_summary_and_keeps_what_was_typed(
        page: Page, live_server: str) -> None:
    page.add_init_script(path=str(AXE))
    sign_in(page, live_server, email_of("drafter"), "en")
    page.goto(f"{live_server}/requests/new?direction=outgoing&kind=mla&country=KZ")
    page.locator("#subject_matter").fill("Trafficking in persons, case 117")
    page.locator("#deadline_on").fill("9999-12-31")
    page.get_by_role("button", name="Save", exact=True).click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("Not saved")
    assert page.evaluate(AXE_JS) == []

    summary.get_by_role("link", name="Deadline").click()
    expect(page.locator("#deadline_on")).to_be_focused()
    expect(page.locator("#deadline_on")).to_have_value("9999-12-31")
    expect(page.locator("#subject_matter")).to_have_value("Trafficking in persons, case 117")


@pytest.mark.parametrize("locale", ["en", "fa_AF"])
def test_refused_forms_pass_axe_and_their_text_is_readable(page: Page, live_server: str, locale: str) -> None:
    """The pages the walk cannot reach: a form sent back with its error summary and field messages."""
    page.add_init_script(path=str(AXE))
    page.goto(f"{live_server}/sign-in?lang={locale}")
    page.locator("form button[type=submit]").click()
    expect(page.get_by_test_id("error-summary")).to_be_focused()
    assert page.evaluate(AXE_JS) + page.evaluate(CONTRAST_JS) == []

    sign_in(page, live_server, email_of("drafter"), locale)
    page.goto(f"{live_server}/requests/new?direction=outgoing&kind=mla&country=KZ")
    page.locator("#deadline_on").fill("9999-12-31")
    page.locator("#case_number").fill("9" * 61)
    page.locator("#main form[method=post] button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("error-summary")).to_be_focused()
    assert page.evaluate(AXE_JS) + page.evaluate(CONTRAST_JS) == []


def test_a_wrong_password_takes_the_focus(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("E-mail address").fill("desk@demo.mla.tj")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_focused()


# The focus indicator of the element that has the focus, and the navigation bar it sits on.
FOCUS_JS = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const bar = getComputedStyle(el.closest('nav')).backgroundColor;
  return {element: el.outerHTML.slice(0, 80), inNavbar: !!el.closest('.navbar'), style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), color: style.outlineColor, bar};
}"""


def _contrast(first: str, second: str) -> float:
    def luminance(css: str) -> float:
        red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", css)[:3])
        linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("locale", ["en", "fa_AF"])
def test_the_keyboard_focus_shows_on_the_dark_navigation_bar(page: Page, live_server: str,
                                                             locale: str) -> None:
    sign_in(page, live_server, email_of("manager"), locale)
    page.wait_for_load_state("load")  # the style sheets, which draw the focus
    page.keyboard.press("Tab")  # the skip link
    for _ in range(4):  # the brand, then the first links of the bar
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        assert focus["inNavbar"]
        assert focus["style"] != "none" and focus["width"] >= 2, focus
        assert _contrast(focus["color"], focus["bar"]) >= 3, focus


@pytest.mark.parametrize("locale", ["en", "ru", "tg", "uz_Latn", "fa_AF"])
def test_the_users_list_does_not_scroll_sideways_at_200_percent_zoom(page: Page, live_server: str,
                                                                     locale: str) -> None:
    page.set_viewport_size({"width": 640, "height": 800})  # 1280 px at 200%
    sign_in(page, live_server, email_of("admin"), locale)
    page.goto(f"{live_server}/admin/users")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
