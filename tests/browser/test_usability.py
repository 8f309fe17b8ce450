"""What the pages feel like for people with shaky or numb hands on a phone, for keyboard users,
and on paper: tap target sizes, the way to the results past a long filter form, where focus
lands after "Show conditions", and what a printout keeps and drops."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.public_content import load_real_content

PHONE = {"width": 375, "height": 800}

# Controls people press most, by page: each must give at least 44 x 44 CSS px to press
# (WCAG 2.5.5 AAA size; 2.5.8 AA asks only 24, which the next test checks for every link).
PRIMARY_CONTROLS = {
    "/": ["#home-search", ".search-form button", ".button-link"],
    "/conditions/?symptom=weakness&onset=acute": [
        "#condition-filters select",
        "#condition-filters button",
        ".field-group summary",
        ".checkbox-list .check",
        ".chip",
        ".skip-to-results a",
    ],
    "/a-z/": [".letter-nav a"],
}


@pytest.fixture
def site(transactional_db, live_server):
    load_real_content()
    return live_server.url


def boxes(page, selector):
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(el => el.getClientRects().length).map(el => {
            const r = el.getBoundingClientRect();
            return {text: el.textContent.trim().slice(0, 40), width: r.width, height: r.height};
        })""",
    )


def test_primary_controls_are_big_enough_to_press_on_a_phone(page, site):
    page.set_viewport_size(PHONE)
    too_small = []
    for path, selectors in PRIMARY_CONTROLS.items():
        page.goto(site + path)
        for selector in selectors:
            found = boxes(page, selector)
            assert found, f"{selector} not on {path}"
            too_small += [
                f"{path} {selector} {box['text']!r} {box['width']:.0f}x{box['height']:.0f}"
                for box in found
                if box["height"] < 44 or box["width"] < 44
            ]
    assert too_small == []


@pytest.mark.parametrize(
    "path",
    ["/", "/conditions/", "/conditions/guillain-barre-syndrome/", "/symptoms/numbness/", "/a-z/"],
)
def test_links_that_stand_alone_are_at_least_24px(page, site, path):
    """WCAG 2.5.8: links outside running text are 24 px or more (a card title covers its card)."""
    page.set_viewport_size(PHONE)
    page.goto(site + path)
    too_small = page.evaluate(
        """() => [...document.querySelectorAll('main a[href], header a[href], footer a[href]')]
          .filter(a => a.getClientRects().length && !a.classList.contains('skip-link'))
          .filter(a => {
            const block = a.closest('p, li, dd');
            const inSentence = getComputedStyle(a).display === 'inline' && block
              && block.textContent.trim().length > a.textContent.trim().length + 3;
            return !inSentence;
          })
          .map(a => {
            // A card's title link stretches over the whole card.
            const target = a.closest('.card-title') ? a.closest('.card') : a;
            const r = target.getBoundingClientRect();
            return [a.textContent.trim().slice(0, 40), r.width, r.height];
          })
          .filter(([, w, h]) => w < 24 || h < 24)"""
    )
    assert too_small == []


def test_a_card_is_pressable_anywhere(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site + "/conditions/")
    title = page.get_by_role("link", name="Guillain-Barré syndrome", exact=True)
    card = page.locator(".card").filter(has=title)
    onset = card.locator("p").last  # the "Onset" line, far from the title link
    onset.scroll_into_view_if_needed()
    box = onset.bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"/conditions/guillain-barre-syndrome/$"))


def test_phone_users_can_jump_past_the_filter_form(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site + "/conditions/")
    skip = page.get_by_role("link", name="Skip to the list of conditions")
    expect(skip).to_be_visible()
    skip.click()
    expect(page).to_have_url(re.compile(r"#results$"))
    expect(page.locator("#result-count")).to_be_in_viewport()
    # Side by side on a wide screen the results are already in view: no extra link.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(skip).to_be_hidden()


def test_show_conditions_takes_you_to_the_new_result_count(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site + "/conditions/")
    page.get_by_label("How fast it starts").select_option("acute")
    page.get_by_role("button", name="Show conditions").click()
    count = page.locator("#result-count")
    expect(count).to_be_focused()
    expect(count).to_be_in_viewport()


def test_main_navigation_marks_the_current_section(page, site):
    page.goto(site + "/conditions/guillain-barre-syndrome/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Conditions")).to_have_attribute("aria-current", "true")
    expect(nav.locator("[aria-current]")).to_have_count(1)
    page.goto(site + "/symptoms/")
    expect(nav.get_by_role("link", name="Symptoms")).to_have_attribute("aria-current", "page")


def test_print_keeps_the_content_and_drops_the_controls(page, site, screenshot):
    page.emulate_media(media="print")
    page.goto(site + "/conditions/guillain-barre-syndrome/")
    for hidden in [".site-header", ".skip-link", ".breadcrumbs", ".toc", ".footer-links"]:
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.get_by_role("alert")).to_be_visible()  # the emergency callout stays
    expect(page.get_by_role("heading", name="Questions to ask your doctor")).to_be_visible()
    # The printout carries its own address and each source's address.
    expect(page.locator(".print-only")).to_contain_text("/conditions/guillain-barre-syndrome/")
    first_source = page.locator(".references a[href^='http']").first
    href = first_source.get_attribute("href")
    printed = first_source.evaluate("a => getComputedStyle(a, '::after').content")
    assert href in printed
    screenshot("guillain-barre-print")

    page.goto(site + "/conditions/?onset=acute")
    expect(page.locator("#condition-filters")).to_be_hidden()
    expect(page.locator(".chips")).to_be_hidden()
    expect(page.locator("#result-count")).to_be_visible()

    page.emulate_media(media="screen")
    expect(page.locator(".print-only")).to_be_hidden()
