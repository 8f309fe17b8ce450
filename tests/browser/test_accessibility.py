"""axe-core on every page type at 375 px and 1280 px (no violations of any impact), reflow at
320 px, and screenshots at 375 px and 1280 px kept in test-artifacts/."""

from axe_playwright_python.sync_playwright import Axe

from tests.browser.public_content import load_real_content

PAGES = {
    "home": "/",
    "conditions": "/conditions/",
    "conditions-filtered": "/conditions/?onset=acute&symptom=weakness",
    "conditions-invalid": "/conditions/?onset=banana",
    "condition": "/conditions/guillain-barre-syndrome/",
    "mechanisms": "/mechanisms/",
    "mechanism": "/mechanisms/demyelination/",
    "symptoms": "/symptoms/",
    "symptom": "/symptoms/numbness/",
    "treatments": "/treatments/",
    "treatment": "/treatments/intravenous-immunoglobulin/",
    "compare": "/compare/",
    "compare-two": (
        "/compare/?condition=guillain-barre-syndrome"
        "&condition=chronic-inflammatory-demyelinating-polyneuropathy"
    ),
    "compare-three": (
        "/compare/?condition=chronic-inflammatory-demyelinating-polyneuropathy"
        "&condition=multifocal-motor-neuropathy&condition=guillain-barre-syndrome"
    ),
    "compare-invalid": "/compare/?condition=guillain-barre-syndrome&condition=nothing",
    "pack": "/conditions/guillain-barre-syndrome/pack/",
    "symptom-emergency": "/symptoms/short-of-breath/",
    "questions": "/conditions/guillain-barre-syndrome/questions/",
    "glossary": "/glossary/",
    "glossary-term": "/glossary/myelin/",
    "a-z": "/a-z/",
    "search": "/search/?q=lupus",
    "search-no-results": "/search/?q=vaskulitys",
    "about": "/about/",
    "disclaimer": "/disclaimer/",
    "recent-changes": "/changes/",
    "not-found": "/no-such-page/",
}


def test_every_page_type_passes_axe_and_reflows(page, transactional_db, live_server, screenshot):
    load_real_content()
    axe = Axe()
    problems = {}

    def check(name):
        for violation in axe.run(page).response["violations"]:
            problems.setdefault(name, []).append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} "
                f"{[node['target'] for node in violation['nodes']][:3]}"
            )

    for name, path in PAGES.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + path)
        check(f"{name} at 1280px")
        screenshot(f"{name}-1280")

        # WCAG 1.4.10 reflow: nothing scrolls sideways at 320 px (also what 400% zoom gives).
        page.set_viewport_size({"width": 320, "height": 800})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.setdefault(name, []).append(f"scrolls sideways by {overflow}px at 320px")
        page.set_viewport_size({"width": 375, "height": 800})
        check(f"{name} at 375px")
        screenshot(f"{name}-375")
    assert problems == {}
