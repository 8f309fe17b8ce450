"""A reader's experience in a real browser: glossary terms opened in place by keyboard (with
and without JavaScript), the announced emergency box, help levels, and printouts that fit."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.public_content import load_real_content

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def site(transactional_db, live_server):
    load_real_content()
    return live_server.url


def open_first_term_by_keyboard(page):
    button = page.locator(".term__button").first
    definition_id = button.get_attribute("popovertarget")
    definition = page.locator(f"#{definition_id}")
    expect(definition).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(definition).to_be_visible()
    return button, definition


def test_a_glossary_term_opens_in_place_by_keyboard(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site + "/conditions/chronic-inflammatory-demyelinating-polyneuropathy/")
    button, definition = open_first_term_by_keyboard(page)
    assert definition.evaluate("e => e.matches(':popover-open')")
    expect(definition).to_contain_text("More about")
    # Beside the word, inside the screen, not covering it.
    word, box = button.bounding_box(), definition.bounding_box()
    assert box["y"] >= word["y"] + word["height"] - 1 or box["y"] + box["height"] <= word["y"] + 1
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    # The next Tab reaches the link inside the definition; Escape closes it, focus stays.
    page.keyboard.press("Tab")
    expect(definition.get_by_role("link")).to_be_focused()
    button.focus()
    page.keyboard.press("Escape")
    expect(definition).to_be_hidden()
    expect(button).to_be_focused()
    # Each term is explained once per page.
    ids = page.eval_on_selector_all(
        ".term__button", "els => els.map(e => e.getAttribute('popovertarget'))"
    )
    assert len(ids) == len(set(ids)) > 5


def test_a_glossary_term_opens_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site + "/symptoms/numbness/")
    open_first_term_by_keyboard(page)
    context.close()


def test_an_emergency_symptom_opens_with_the_announced_callout(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site + "/symptoms/short-of-breath/")
    alert = page.get_by_role("alert")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("This can be a medical emergency")
    expect(alert).to_contain_text("999")
    expect(alert.get_by_role("heading")).to_be_in_viewport()
    # The emergency box looks the same as the condition page's and the home page's.
    colour = alert.evaluate("e => getComputedStyle(e).borderLeftColor")
    page.goto(site + "/conditions/guillain-barre-syndrome/")
    assert page.get_by_role("alert").evaluate("e => getComputedStyle(e).borderLeftColor") == colour
    page.goto(site + "/")
    home_box = page.locator(".emergency-callout")
    assert home_box.evaluate("e => getComputedStyle(e).borderLeftColor") == colour


def test_help_levels_read_in_order_on_a_condition_page(page, site):
    page.goto(site + "/conditions/guillain-barre-syndrome/")
    help_section = page.get_by_role("region", name="When to get help")
    headings = help_section.get_by_role("heading", level=3).all_inner_texts()
    assert [re.sub(r"\s+", " ", h).split(":")[0].upper() for h in headings] == [
        "EMERGENCY",
        "URGENT",
        "NOT URGENT",
    ]


def printed_pages(page, url):
    page.goto(url)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize(
    "slug",
    ["rheumatoid-arthritis", "systemic-lupus-erythematosus", "multifocal-motor-neuropathy"],
)
def test_a_condition_prints_on_two_or_three_pages(page, site, slug):
    assert printed_pages(page, f"{site}/conditions/{slug}/") in (2, 3)


def test_the_questions_sheet_prints_with_room_to_write(page, site, screenshot):
    url = site + "/conditions/rheumatoid-arthritis/"
    page.goto(url)
    page.get_by_role("link", name="Print these questions for your appointment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Questions for my appointment")
    page.emulate_media(media="print")
    questions = page.locator(".question-list li")
    assert questions.count() >= 3
    for index in range(questions.count()):
        space = questions.nth(index).locator(".answer-space").bounding_box()
        assert space["height"] >= 60  # about three handwritten lines
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot("questions-print")
    assert printed_pages(page, page.url) <= 2


@pytest.mark.parametrize("width", [320, 375])
def test_breadcrumb_separators_stay_with_their_label(page, site, width):
    page.set_viewport_size({"width": width, "height": 800})
    for path in [
        "/conditions/chronic-inflammatory-demyelinating-polyneuropathy/",
        "/mechanisms/anti-mag-antibodies/",
        "/conditions/guillain-barre-syndrome/questions/",
    ]:
        page.goto(site + path)
        crumbs = page.locator(".breadcrumbs li + li")
        for index in range(crumbs.count()):
            crumb = crumbs.nth(index)
            link_top = crumb.locator("a").bounding_box()["y"]
            assert abs(link_top - crumb.bounding_box()["y"]) < 4, (path, index)
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_show_conditions_without_javascript_lands_on_the_count(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site + "/conditions/")
    page.get_by_label("How fast it starts").select_option("acute")
    page.get_by_role("button", name="Show conditions").click()
    page.wait_for_load_state()
    assert page.url == site + "/conditions/?onset=acute#results"
    expect(page.locator("#result-count")).to_be_in_viewport()
    # The sort box shows its whole text.
    sort = page.get_by_label("Sort by")
    assert sort.evaluate("e => e.scrollWidth <= e.clientWidth")
    context.close()


def test_chosen_counts_follow_the_ticks(page, site):
    page.goto(site + "/conditions/")
    group = page.locator("details.field-group").filter(has=page.locator("input[name=symptom]"))
    group.locator("summary").click()
    boxes = group.locator("input[type=checkbox]")
    boxes.nth(0).check()
    expect(group.locator("summary .count")).to_have_text("(1 chosen)")
    boxes.nth(1).check()
    expect(group.locator("summary .count")).to_have_text("(2 chosen)")
    boxes.nth(0).uncheck()
    boxes.nth(1).uncheck()
    expect(group.locator("summary .count")).to_have_count(0)
