"""The Spanish pages pass axe and reflow at 320 px; the language switch keeps the reader on
the same page without JavaScript."""

from axe_playwright_python.sync_playwright import Axe

from conditions.models import Condition
from editorial.models import Translation
from tests.browser.public_content import load_real_content


def take_one_translation_back():
    """The shipped content is translated throughout: withdraw one condition's Spanish, to see
    the notice a reader gets for a page not yet in Spanish."""
    untranslated = Condition.objects.published().exclude(slug="guillain-barre-syndrome").first()
    Translation.objects.of(untranslated, "es").delete()
    return untranslated


def test_spanish_pages_pass_axe_and_reflow(page, transactional_db, live_server, screenshot):
    load_real_content()
    untranslated = take_one_translation_back()
    pages = {
        "es-home": "/es/",
        "es-conditions": "/es/conditions/",
        "es-condition": "/es/conditions/sindrome-de-guillain-barre/",
        "es-a-z": "/es/a-z/",
        "es-search": "/es/search/?q=sindrome+de+guillan+barre",
        "es-not-translated": f"/es/conditions/{untranslated.slug}/",
    }
    axe = Axe()
    problems = {}
    for name, path in pages.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "es", name
        violations = [
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            for violation in axe.run(page).response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        if violations:
            problems[name] = violations
        page.set_viewport_size({"width": 320, "height": 800})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.setdefault(name, []).append(f"scrolls sideways by {overflow}px at 320px")
        screenshot(f"{name}-320")
    assert problems == {}


def test_the_language_switch_keeps_the_reader_on_the_page(browser, transactional_db, live_server):
    load_real_content()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/conditions/guillain-barre-syndrome/")
    page.get_by_role("link", name="Español").click()
    assert page.url == live_server.url + "/es/conditions/sindrome-de-guillain-barre/"
    spanish_name = Condition.objects.get(slug="guillain-barre-syndrome").name_es
    assert page.get_by_role("heading", level=1).inner_text() == spanish_name
    page.get_by_role("link", name="English").click()
    assert page.url == live_server.url + "/conditions/guillain-barre-syndrome/"
    context.close()
