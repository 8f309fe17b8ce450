"""Patients' journeys through the public pages in a real Chromium: by mouse, by keyboard, without
JavaScript, searching with a typo, and the emergency callout on the Guillain-Barré page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.public_content import load_real_content


@pytest.fixture
def site(transactional_db, live_server):
    """The live server with the real content loaded (transactional: its thread sees the data)."""
    load_real_content()
    return live_server.url


def result_count(page):
    return int(re.match(r"\d+", page.locator("#result-count").inner_text()).group())


def test_filter_journey_by_mouse(page, site, screenshot):
    page.goto(f"{site}/conditions/")
    everything = result_count(page)
    assert everything >= 5

    page.get_by_label("How fast it starts").select_option("acute")
    # JavaScript re-renders the results as soon as a choice changes.
    expect(page.locator("#result-count")).not_to_have_text(re.compile(rf"^{everything} "))
    expect(page).to_have_url(re.compile(r"onset=acute"))
    expect(page.get_by_role("link", name="Guillain-Barré syndrome")).to_be_visible()
    acute = result_count(page)
    assert 0 < acute < everything

    page.locator("summary", has_text="Symptoms").click()  # long lists start folded
    page.get_by_role("checkbox", name="Trouble swallowing or choking on food").check()
    expect(page).to_have_url(re.compile(r"symptom=trouble-swallowing"))
    chip = page.locator(".chip", has_text="How fast it starts")
    expect(chip).to_be_visible()
    screenshot("conditions-filtered-1280")

    chip.click()  # remove the onset filter
    expect(page).not_to_have_url(re.compile(r"onset="))
    expect(page.locator(".chip", has_text="Symptoms")).to_be_visible()


def test_filter_journey_by_keyboard_only(page, site):
    page.goto(f"{site}/conditions/")
    # The first Tab reaches the skip link, which jumps past the navigation.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))

    def tab_to(condition):
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate(condition):
                return
        raise AssertionError(f"Tab never reached {condition}")

    tab_to("document.activeElement.textContent.trim() === 'What the damaged nerves do'")
    page.keyboard.press("Enter")  # unfold the group
    target = page.locator("#id_fibre_1")  # Motor fibres
    tab_to("document.activeElement.id === 'id_fibre_1'")
    expect(target).to_be_focused()
    page.keyboard.press("Space")
    expect(target).to_be_checked()
    expect(page).to_have_url(re.compile(r"fibre=motor"))

    tab_to("document.activeElement.textContent === 'Show conditions'")
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\d+ conditions? found"))
    expect(page.get_by_role("link", name="Guillain-Barré syndrome")).to_be_visible()


def test_filters_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/conditions/")
    page.get_by_label("Can be a medical emergency").select_option("true")
    page.get_by_role("button", name="Show conditions").click()
    expect(page).to_have_url(re.compile(r"emergency=true"))
    expect(page.get_by_role("link", name="Guillain-Barré syndrome")).to_be_visible()
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\d+ conditions? found"))
    page.goto(f"{site}/conditions/?onset=banana")
    expect(page.get_by_role("alert")).to_contain_text("(onset)")
    context.close()


def test_search_with_a_typo(page, site, screenshot):
    page.goto(site)
    page.get_by_role("searchbox").fill("guillan barre")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=guillan\+barre"))
    first = page.locator(".result-list li").first
    expect(first.get_by_role("link")).to_have_text("Guillain-Barré syndrome")
    screenshot("search-typo-1280")

    page.get_by_role("searchbox").fill("sistemik vaskulitys")
    page.keyboard.press("Enter")
    suggestion = page.locator(".suggestion").get_by_role("link")
    expect(suggestion).to_have_text("systemic vasculitis")
    suggestion.click()
    expect(page.locator(".result-list li").first).to_contain_text("vasculitis")


@pytest.mark.parametrize("width", [375, 1280])
def test_guillain_barre_emergency_callout(page, site, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site}/conditions/guillain-barre-syndrome/")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("This can be a medical emergency")
    expect(alert).to_contain_text("999")
    # Impossible to miss: on screen without scrolling, before the page's contents list.
    box = alert.bounding_box()
    assert box["y"] + box["height"] / 2 < 900
    heading_top = page.get_by_role("heading", name="On this page").bounding_box()["y"]
    assert box["y"] < heading_top
    screenshot(f"guillain-barre-{width}")
