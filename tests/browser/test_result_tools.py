"""After the result: the note to paste (copied by keyboard, selected when copying is not
allowed, a link without JavaScript) and the result bar that stays in view on a phone."""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE
from tests.contract import MAYO_MET, SETS

pytestmark = pytest.mark.browser

CHECKLIST = f"/en/checklist/?{urlencode(MAYO_MET)}"
NO_CLIPBOARD = """
Object.defineProperty(navigator, "clipboard", {
  value: { writeText: () => Promise.reject(new DOMException("denied", "NotAllowedError")) },
});
"""


def settled(page):
    expect(page.locator("#result")).not_to_have_attribute("aria-busy", "true")


def focus_by_keyboard(page, name, limit=200):
    """Press Tab until the control named `name` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_the_note_is_copied_by_keyboard_and_the_copy_is_announced(new_context, site):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(CHECKLIST)
    focus_by_keyboard(page, "Copy note")
    page.keyboard.press("Enter")
    status = page.locator("#result-actions [role=status]")
    expect(status).to_have_text("Note copied to the clipboard.")
    note = page.evaluate("navigator.clipboard.readText()")
    assert note.startswith("POEMS syndrome criteria, ")
    assert "Mayo 2023: ✓ Criteria met" in note
    assert "/c/" in note.splitlines()[-1]


def test_without_leave_to_copy_the_note_is_shown_selected(new_context, site):
    context = new_context()
    context.add_init_script(NO_CLIPBOARD)
    page = context.new_page()
    page.goto(CHECKLIST)
    page.get_by_role("button", name="Copy note").click()
    area = page.locator("textarea.copy-note__text")
    expect(area).to_be_focused()
    text = area.input_value()
    assert "Mayo 2023" in text
    selected = page.evaluate(
        "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    )
    assert selected == [0, len(text)]
    expect(page.locator("#result-actions [role=status]")).to_contain_text("Ctrl+C")


def test_without_javascript_the_note_is_a_link_to_the_text(new_context, site):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(CHECKLIST)
    link = page.get_by_role("link", name="Note to paste (text)")
    expect(link).to_have_attribute("href", f"/en/checklist/note.txt?{urlencode(MAYO_MET)}")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert "Mayo 2023" in response.text()


def bar_state(page):
    return page.evaluate(
        """() => {
            const bar = document.querySelector(".result-bar");
            const box = bar.getBoundingClientRect();
            return {
                visible: getComputedStyle(bar).display !== "none",
                top: box.top, bottom: box.bottom, height: innerHeight,
                sets: [...bar.querySelectorAll("a")].map(a => [
                    a.getAttribute("href"), a.innerText.replace(/\\s+/g, " ").trim()]),
            };
        }"""
    )


def test_on_a_phone_the_result_stays_in_view_in_the_results_own_words(new_context, site):
    page = new_context(viewport=PHONE).new_page()
    page.goto(CHECKLIST)
    full = page.locator("#result .outcome").all_inner_texts()
    state = bar_state(page)
    assert state["visible"] and state["bottom"] <= state["height"] and state["top"] > 0
    assert [href for href, _text in state["sets"]] == [f"#set-{slug}" for slug in SETS]
    for (_href, text), outcome in zip(state["sets"], full, strict=True):
        symbol, words = outcome.split("\n", 1)
        assert symbol in "✓✕?" and symbol in text  # never colour alone
        assert words.replace("\n", " ") in text
    # Scrolled to the top of the form, the bar is still there.
    page.evaluate("window.scrollTo(0, 0)")
    assert bar_state(page)["top"] < PHONE["height"]
    # A tap jumps to the full result of that set.
    page.locator(".result-bar a[href='#set-japan_2015']").click()
    expect(page.locator("#set-japan_2015")).to_be_in_viewport()

    # It follows the answers live.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#field-polyneuropathy").get_by_role("radio", name="Absent", exact=True).click()
    settled(page)
    expect(page.locator(".result-bar a[href='#set-mayo']")).to_contain_text("Criteria not met")


def test_on_a_phone_the_bar_never_hides_the_control_with_the_focus(new_context, site):
    page = new_context(viewport=PHONE).new_page()
    page.goto(CHECKLIST)
    bar_top = bar_state(page)["top"]
    seen = 0
    for _ in range(160):
        page.keyboard.press("Tab")
        box = page.evaluate(
            """() => {
                const element = document.activeElement;
                if (element.closest(".result-bar")) { return null; }
                const drawn = element.matches("input[type=radio]")
                    ? element.nextElementSibling : element;
                const box = drawn.getBoundingClientRect();
                return {top: box.top, bottom: box.bottom, tag: element.tagName};
            }"""
        )
        if box is None or box["tag"] == "BODY":
            continue
        seen += 1
        assert box["top"] < bar_top, f"hidden behind the result bar: {box}"
    assert seen > 40


def test_on_a_wide_screen_there_is_no_bar(new_context, site):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(CHECKLIST)
    assert not bar_state(page)["visible"]
