"""The checklist in a real browser: by mouse, by keyboard, without JavaScript, across
languages, pages and history, and an editor's change in the admin."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from content.models import Page
from tests.browser.helpers import PHONE, admin_sign_in, make_editor
from tests.contract import MAYO_MET, SETS

pytestmark = pytest.mark.browser


# --- Helpers --------------------------------------------------------------------------------


def radio(page, slug, value):
    return page.locator(f'input[type="radio"][name="{slug}"][value="{value}"]')


def click_answer(page, slug, value, name):
    """Click an answer's pill with the mouse, found by its accessible name."""
    page.locator(f"#field-{slug}").get_by_role("radio", name=name, exact=True).click()


def learn_more(page, label):
    """A finding's "Learn more" link, named for its finding (the name is in hidden text)."""
    return page.get_by_role("link", name=re.compile(rf"^Learn more\s*:\s*{label}$"))


def settled(page):
    """Wait until no result request is under way (the live panel has no aria-busy)."""
    expect(page.locator("#result")).not_to_have_attribute("aria-busy", "true")


def outcomes(page):
    """{set slug: met | not_met | indeterminate}, read from the result panel's classes."""
    return page.eval_on_selector_all(
        "#result article.set-result",
        """articles => Object.fromEntries(articles.map(article => [
            article.getAttribute("aria-labelledby").replace(/^set-/, ""),
            [...article.classList].find(name => name.startsWith("set-result--"))
                .replace("set-result--", ""),
        ]))""",
    )


def checked_answers(page):
    """{slug: value} of every checked finding that is not "unknown"."""
    return page.eval_on_selector_all(
        "#checklist-form fieldset.finding input[type=radio]:checked",
        """inputs => Object.fromEntries(inputs.filter(input => input.value !== "unknown")
            .map(input => [input.name, input.value]))""",
    )


def query_of(url):
    return dict(parse_qsl(urlsplit(url).query))


def checklist_url(site, language, answers):
    return f"{site}/{language}/checklist/?{urlencode(answers)}"


def expect_mayo_met(page):
    expect(page.locator("article.set-result--met[aria-labelledby='set-mayo']")).to_be_visible()


FOCUS_STYLE = """() => {
    const element = document.activeElement;
    // A radio is drawn by the pill (span) after it; the input itself is transparent.
    const drawn = element.matches("input[type=radio]") ? element.nextElementSibling : element;
    const style = getComputedStyle(drawn);
    return {
        tag: element.tagName, name: element.name || "", value: element.value || "",
        text: (element.textContent || "").trim(), checked: !!element.checked,
        outline: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0,
    };
}"""


def focused(page):
    """What has the focus, and its outline, which must be visible."""
    state = page.evaluate(FOCUS_STYLE)
    assert state["outline"] != "none" and state["width"] >= 2, f"no visible focus: {state}"
    return state


def tab_to_group(page, slug, limit=12):
    """Press Tab until a radio of `slug` has the focus, checking each stop shows focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["tag"] == "INPUT" and state["name"] == slug:
            return state
    raise AssertionError(f"{limit} presses of Tab did not reach {slug}")


# --- 1. Live checklist by mouse ----------------------------------------------------------


def test_live_checklist_by_mouse_updates_result_url_and_survives_reload(page, site):
    page.goto("/en/checklist/")
    expect(page.locator("html.js-live")).to_have_count(1)
    page.evaluate("window.stillTheSamePage = true")

    for slug in MAYO_MET:
        click_answer(page, slug, "present", "Present")
    settled(page)

    expect_mayo_met(page)
    expect(page.locator("article[aria-labelledby='set-mayo'] .outcome")).to_contain_text(
        "Criteria met"
    )
    assert page.evaluate("window.stillTheSamePage") is True, "the page was reloaded"
    assert page.url == checklist_url(site, "en", MAYO_MET)
    before = outcomes(page)
    assert before["mayo"] == "met"

    page.reload()
    assert page.evaluate("window.stillTheSamePage") is None  # a real reload this time
    assert checked_answers(page) == MAYO_MET
    for slug in MAYO_MET:
        # Found by its accessible name: the tick drawn on a checked pill is not part of it.
        answer = page.locator(f"#field-{slug}").get_by_role("radio", name="Present", exact=True)
        expect(answer).to_be_checked()
    assert outcomes(page) == before

    # A VEGF value: choose the specimen, then type; the typing alone updates the result.
    page.locator("#field-vegf_specimen").get_by_role("radio", name="Plasma").click()
    page.locator("#vegf").press_sequentially("250", delay=30)
    expect(page.locator("#result .result__summary")).to_contain_text("VEGF 250 pg/mL")
    settled(page)
    assert query_of(page.url) == {**MAYO_MET, "vegf": "250", "vegf_specimen": "plasma"}
    assert page.locator("#result").get_by_text("Elevated VEGF taken as Present").count() >= 1
    with_vegf = outcomes(page)

    page.reload()
    expect(page.locator("#vegf")).to_have_value("250")
    expect(radio(page, "vegf_specimen", "plasma")).to_be_checked()
    assert outcomes(page) == with_vegf


def test_back_and_forward_keep_the_answers_and_the_result_consistent(page, site):
    page.goto("/en/")
    page.get_by_role("link", name="Open the checklist").click()
    expect(page).to_have_url(f"{site}/en/checklist/")
    answers = {"polyneuropathy": "present", "monoclonal_plasma_cell_disorder": "absent"}
    click_answer(page, "polyneuropathy", "present", "Present")
    click_answer(page, "monoclonal_plasma_cell_disorder", "absent", "Absent")
    settled(page)
    expect(page).to_have_url(checklist_url(site, "en", answers))
    result = outcomes(page)
    assert result["mayo"] == "not_met"

    page.locator(".site-nav").get_by_role("link", name="Learn").click()
    expect(page).to_have_url(f"{site}/en/learn/")

    page.go_back()
    expect(page).to_have_url(checklist_url(site, "en", answers))
    assert checked_answers(page) == answers
    assert outcomes(page) == result

    # Change an answer after coming back: the URL follows, and history still works.
    click_answer(page, "monoclonal_plasma_cell_disorder", "present", "Present")
    settled(page)
    changed = {"polyneuropathy": "present", "monoclonal_plasma_cell_disorder": "present"}
    expect(page).to_have_url(checklist_url(site, "en", changed))
    changed_result = outcomes(page)

    page.go_back()
    expect(page).to_have_url(f"{site}/en/")
    page.go_forward()
    expect(page).to_have_url(checklist_url(site, "en", changed))
    assert checked_answers(page) == changed
    assert outcomes(page) == changed_result
    page.go_forward()
    expect(page).to_have_url(f"{site}/en/learn/")


# --- 2. Keyboard only --------------------------------------------------------------------


def test_keyboard_only_with_visible_focus_and_an_announced_result(page, site):
    page.goto("/en/checklist/")

    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    for slug in MAYO_MET:
        state = tab_to_group(page, slug)
        # Tab lands on the checked answer ("Not assessed"); arrows move and choose.
        assert (state["value"], state["checked"]) == ("unknown", True)
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        state = focused(page)
        assert (state["name"], state["value"], state["checked"]) == (slug, "present", True)
        settled(page)
        # The swap of the result panel leaves the focus where it was.
        assert focused(page)["name"] == slug

    assert checked_answers(page) == MAYO_MET
    expect_mayo_met(page)
    assert page.url == checklist_url(site, "en", MAYO_MET)
    status = page.get_by_role("status").filter(has_text="Mayo")
    expect(status).to_have_attribute("id", "result-status")
    expect(status).to_contain_text("Mayo Clinic criteria (2023 update): Criteria met.")


# --- 3. Switching language -------------------------------------------------------------


def test_switching_language_mid_checklist_keeps_answers_and_outcomes(page, site):
    page.goto("/en/checklist/")
    answers = {
        "polyneuropathy": "present",
        "monoclonal_plasma_cell_disorder": "present",
        "castleman_disease": "absent",
        "organomegaly": "present",
    }
    for slug, value in answers.items():
        click_answer(page, slug, value, value.capitalize())
    settled(page)
    expect(page).to_have_url(checklist_url(site, "en", answers))
    english = outcomes(page)
    english_words = page.locator("#result .outcome").all_inner_texts()

    page.locator(".lang-switch").get_by_role("link", name="日本語").click()
    expect(page).to_have_url(checklist_url(site, "ja", answers))
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    assert checked_answers(page) == answers
    assert outcomes(page) == english
    japanese_words = page.locator("#result .outcome").all_inner_texts()
    assert len(japanese_words) == len(english_words) == len(SETS)
    assert not set(japanese_words) & set(english_words)  # the same outcomes, in Japanese


def test_language_links_follow_an_answer_before_its_result_arrives(page, site):
    """On a slow network the language links must not lag behind the answers."""
    held = []

    def hold_result_requests(route):
        if route.request.headers.get("x-checklist-fragment") == "result":
            held.append(route)  # never answered: the result is still on its way
        else:
            route.continue_()

    page.route("**/checklist/**", hold_result_requests)
    page.goto("/en/checklist/")
    click_answer(page, "polyneuropathy", "present", "Present")
    for _ in range(100):  # the route handler runs once Playwright hears of the request
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the answer asked for no result"
    # The address already holds the answer (a reload now would keep it) ...
    assert page.url == checklist_url(site, "en", {"polyneuropathy": "present"})
    expect(page.locator("#result")).to_have_attribute("aria-busy", "true")
    # ... and so do the language links.
    page.locator(".lang-switch").get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(checklist_url(site, "zh-hans", {"polyneuropathy": "present"}))
    expect(radio(page, "polyneuropathy", "present")).to_be_checked()


# --- 4. Learn more, and back -------------------------------------------------------------


def test_learn_more_and_back_to_the_checklist(page, site):
    page.goto("/en/checklist/")
    for slug in MAYO_MET:
        click_answer(page, slug, "present", "Present")
    settled(page)
    result = outcomes(page)

    learn_more(page, "Sclerotic bone lesions").click()
    expect(page).to_have_url(re.compile(r"/en/learn/sclerotic-bone-lesions/\?from=[\w-]+$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.get_by_role("link", name="Back to your checklist").first.click()
    expect(page).to_have_url(checklist_url(site, "en", MAYO_MET))
    assert checked_answers(page) == MAYO_MET
    assert outcomes(page) == result


def test_back_to_the_checklist_keeps_the_page_language(page, site):
    page.goto("/ja/checklist/")
    click_answer(page, "polyneuropathy", "present", "あり")
    settled(page)
    page.locator("#field-polyneuropathy a.finding__more").click()
    expect(page).to_have_url(re.compile(r"/ja/learn/polyneuropathy/\?from="))
    page.get_by_role("link", name="チェックリストに戻る").first.click()
    expect(page).to_have_url(checklist_url(site, "ja", {"polyneuropathy": "present"}))


# --- 5. Print view and PDF ---------------------------------------------------------------


@pytest.mark.pdf
def test_print_summary_and_pdf_download(page, site):
    answers = {**MAYO_MET, "skin_changes": "present", "organomegaly": "absent"}
    page.goto(checklist_url(site, "en", answers))

    with page.expect_download() as download_info:
        page.locator("#result-actions").get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("poems-criteria-summary-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.locator("#result-actions").get_by_role("link", name="Print summary").click()
    expect(page).to_have_url(re.compile(r"/en/checklist/print/\?"))
    assert query_of(page.url) == answers
    findings = page.locator(".sheet__findings")
    expect(findings).to_contain_text(
        "Present: Polyneuropathy, Monoclonal plasma cell disorder, Sclerotic bone lesions, "
        "Skin changes"
    )
    expect(findings).to_contain_text("Absent: Organomegaly")
    expect(page.locator(".set-box--met")).not_to_have_count(0)

    page.get_by_role("link", name="Back to the checklist").click()
    expect(page).to_have_url(re.compile(r"/en/checklist/\?"))
    assert checked_answers(page) == answers


# --- 6. Without JavaScript ---------------------------------------------------------------


def test_without_javascript_the_form_shows_the_result(new_context, site):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/en/checklist/")
    expect(page.locator("html.js-live")).to_have_count(0)
    for slug in MAYO_MET:
        click_answer(page, slug, "present", "Present")
    page.locator("#vegf").fill("250")
    page.locator("#field-vegf_specimen").get_by_role("radio", name="Plasma").click()
    assert page.url == f"{site}/en/checklist/"  # nothing happens until the form is sent

    page.get_by_role("button", name="Show the result").click()
    expect(page).to_have_url(re.compile(r"/en/checklist/\?"))
    submitted = query_of(page.url)
    assert {slug: submitted[slug] for slug in MAYO_MET} == MAYO_MET
    assert (submitted["vegf"], submitted["vegf_specimen"]) == ("250", "plasma")
    expect_mayo_met(page)
    expect(page.locator("#result .result__summary")).to_contain_text("VEGF 250 pg/mL")
    assert checked_answers(page) == MAYO_MET


# --- 7. An editor in the admin -----------------------------------------------------------


def test_an_editor_changes_a_japanese_title_in_the_admin(page, site, django_user_model):
    make_editor(django_user_model)
    slug = "skin-changes"
    pk = Page.objects.get(slug=slug).pk

    admin_sign_in(page)
    page.goto(f"/admin/content/page/{pk}/change/")
    title_ja = page.locator("#id_title_ja")
    expect(title_ja).to_be_hidden()  # behind its tab
    page.locator('li[role="tab"][aria-controls="tab_id_title_ja"]').click()
    expect(title_ja).to_be_visible()
    new_title = "皮膚所見（編集者による改訂）"
    title_ja.fill(new_title)
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(f"/ja/learn/{slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(new_title)
    page.goto(f"/en/learn/{slug}/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(new_title)


# --- 8. Nothing is fetched from another host ----------------------------------------------


def test_every_request_goes_to_this_site(page, site, site_host):
    requests = []
    page.on("request", lambda request: requests.append((request.url, request.resource_type)))

    page.goto("/en/")
    page.goto("/en/checklist/")
    for slug in MAYO_MET:
        click_answer(page, slug, "present", "Present")
    page.locator("#field-vegf_specimen").get_by_role("radio", name="Serum").click()
    page.locator("#vegf").press_sequentially("1200")
    expect(page.locator("#result .result__summary")).to_contain_text("VEGF 1200 pg/mL")
    settled(page)
    learn_more(page, "Polyneuropathy").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(checklist_url(site, "en", MAYO_MET))
    page.locator("#result-actions").get_by_role("link", name="Print summary").click()
    expect(page.locator(".sheet__findings")).to_be_visible()
    page.wait_for_load_state("networkidle")

    kinds = {kind for _url, kind in requests}
    assert {"document", "stylesheet", "script", "fetch"} <= kinds, kinds
    elsewhere = [url for url, _kind in requests if urlsplit(url).netloc != site_host]
    assert elsewhere == []


# --- 10. Layout: the result stays in view; no sideways scrolling on a phone ------------


def test_the_result_stays_in_view_while_the_form_scrolls(page, site):
    page.goto("/en/checklist/")
    click_answer(page, "polyneuropathy", "present", "Present")
    settled(page)
    height = page.viewport_size["height"]
    # Below the header at first; once the page has scrolled past that, the whole
    # column (which scrolls on its own) stays on screen.
    column_top = page.locator(".result-column").bounding_box()["y"]
    # Every finding that counts, and the VEGF value. Not the never-scored signs at the
    # very end: the column ends with the form, so near the bottom of the page the footer
    # pushes its top up (by up to ~160 px at 1280 x 900); those signs change no result.
    items = page.locator(
        "#checklist-form .group:not(.group--unscored) fieldset.finding:visible, #field-vegf"
    )
    assert items.count() == 12
    for index in range(items.count()):
        item = items.nth(index)
        item.evaluate("element => element.scrollIntoView({block: 'center'})")
        column = page.locator(".result-column").bounding_box()
        heading = page.locator("#result-title").bounding_box()
        place = f"with {item.get_attribute('id')} in the middle of the screen"
        assert heading["y"] >= 0 and heading["y"] + heading["height"] <= height, place
        if page.evaluate("window.scrollY") >= column_top:
            assert column["y"] >= 0 and column["y"] + column["height"] <= height, place
    assert page.evaluate("window.scrollY") > 2 * height  # the form did scroll
    # The column scrolls on its own, so all of a long result can be reached.
    page.locator("#result-actions").get_by_role("link", name="Print summary").focus()
    actions = page.locator("#result-actions").bounding_box()
    assert actions["y"] >= 0 and actions["y"] + actions["height"] <= height


def test_the_result_follows_the_form_on_a_phone(new_context, site):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/en/checklist/")
    form = page.locator("#checklist-form").bounding_box()
    result = page.locator("#result").bounding_box()
    assert result["y"] >= form["y"] + form["height"]  # one column: the result below
    page.get_by_role("link", name="Jump to the result").click()
    expect(page.locator("#result-title")).to_be_in_viewport()
    # No sideways scrolling, even with a long result (test_accessibility checks every page).
    page.goto(
        checklist_url(site, "en", {**MAYO_MET, "endocrinopathy_thyroid": "present"})
        + "&vegf=1200&vegf_specimen=serum"
    )
    expect(page.locator("#result .warnings")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
