"""The appointment pack and its symptom diary in a real Chromium: entries survive a reload,
nothing leaves the browser, the CSV export, keyboard use, and the printed pack."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

# Unlikely to appear anywhere except in what the reader types.
SECRET_SYMPTOM = "zebra-tingle-7731"
SECRET_NOTE = "note-okapi-4419"


@pytest.fixture
def pack_url(live_server):
    condition = factories.ConditionFactory(
        name="Guillain-Barré syndrome",
        slug="gbs",
        questions_for_doctor="- Will I need to stay in hospital?\n- How long will recovery take?",
        help_emergency="- Weakness spreading over hours",
        help_same_day="- New tingling in both feet",
    )
    return f"{live_server.url}/conditions/{condition.slug}/pack/"


def add_entry(page, date, symptom, severity, where="", notes=""):
    page.get_by_label("Date", exact=True).fill(date)
    page.get_by_label("Symptom", exact=True).fill(symptom)
    page.get_by_label("Where in the body").fill(where)
    page.get_by_label("How bad, from 0 (none) to 10 (worst)").fill(str(severity))
    page.get_by_label("Notes").fill(notes)
    page.get_by_role("button", name="Save entry").click()


def test_entries_survive_a_reload_and_never_leave_the_browser(page, pack_url):
    sent = []

    def record(request):
        sent.append(" ".join([request.url, request.post_data or "", str(request.headers)]))

    page.on("request", record)
    response = page.goto(pack_url)
    csp = response.headers["content-security-policy"]
    assert "connect-src 'none'" in csp
    assert "form-action 'none'" in csp
    expect(page.get_by_text("stays in this browser on this device")).to_be_visible()

    add_entry(page, "2026-11-20", SECRET_SYMPTOM, 3, where="feet", notes=SECRET_NOTE)
    add_entry(page, "2026-11-22", "weak legs", 6)
    expect(page.get_by_role("status")).to_contain_text("2 entries")
    page.reload()
    rows = page.locator("[data-diary-rows] tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(SECRET_SYMPTOM)
    expect(rows.first).to_contain_text(SECRET_NOTE)
    chart = page.locator("[data-diary-chart] svg")
    expect(chart).to_have_attribute(
        "aria-label", "Severity over time, from 0 to 10. 2026-11-20: 3, 2026-11-22: 6"
    )
    expect(chart.locator("circle")).to_have_count(2)

    assert sent, "the page's own requests were recorded"
    assert not [line for line in sent if SECRET_SYMPTOM in line or SECRET_NOTE in line]
    stored = page.evaluate("Object.keys(window.localStorage)")
    assert stored == ["nerve-health-guide:symptom-diary:v1"]
    assert page.evaluate("document.cookie") == ""


def test_the_diary_exports_as_csv(page, pack_url):
    page.goto(pack_url)
    note = 'said "ouch", then =SUM(1)'
    add_entry(page, "2026-11-21", "burning feet", 4, where="both feet", notes=note)
    add_entry(page, "2026-11-20", "=HYPERLINK(1)", 2)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export as CSV").click()
    download = download_info.value
    assert download.suggested_filename == "symptom-diary.csv"
    with open(download.path(), encoding="utf-8") as exported:
        text = exported.read()
    assert list(csv.reader(io.StringIO(text))) == [
        ["Date", "Symptom", "Where", "How bad (0-10)", "Notes"],
        ["2026-11-20", "'=HYPERLINK(1)", "", "2", ""],
        ["2026-11-21", "burning feet", "both feet", "4", note],
    ]


def test_the_diary_works_by_keyboard_alone_and_offline(page, pack_url):
    page.goto(pack_url)
    page.context.set_offline(True)  # once loaded, the diary needs no network
    # A date field's parts are typed in the order the locale shows them; fill sets it, and
    # Tab inside it moves between its parts, so the keyboard starts at the symptom.
    page.get_by_label("Date", exact=True).fill("2026-11-23")
    page.get_by_label("Symptom", exact=True).focus()
    page.keyboard.type("numb hands")
    page.keyboard.press("Tab")
    page.keyboard.type("fingertips")
    page.keyboard.press("Tab")
    page.keyboard.type("5")
    page.keyboard.press("Tab")
    page.keyboard.type("worse in the cold")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Entry saved in this browser")
    expect(page.locator("[data-diary-rows] tr")).to_have_count(1)
    # After saving, the cursor is back in the symptom field for the next entry.
    assert page.evaluate("document.activeElement.id") == "diary-symptom"
    # A missing severity is explained in the live region, not lost.
    page.keyboard.type("dizzy")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("how bad it was")
    expect(page.locator("[data-diary-rows] tr")).to_have_count(1)
    remove = page.get_by_role("button", name="Remove the entry of 2026-11-23: numb hands")
    remove.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-diary-rows] tr")).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("Entry removed.")


def test_the_printed_pack_keeps_the_content_and_drops_the_controls(page, pack_url):
    page.goto(pack_url)
    add_entry(page, "2026-11-20", "tingling", 3)
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Questions for your doctor")).to_be_visible()
    expect(page.get_by_label("Will I need to stay in hospital?")).to_be_visible()
    expect(page.get_by_role("heading", name="My symptom timeline")).to_be_visible()
    expect(page.get_by_role("heading", name="When to get help")).to_be_visible()
    expect(page.get_by_text("Weakness spreading over hours")).to_be_visible()
    expect(page.locator("[data-diary-rows] tr")).to_have_count(1)
    expect(page.locator("[data-diary-rows]")).to_be_visible()
    expect(page.locator("[data-diary-form]")).to_be_hidden()
    expect(page.get_by_role("button", name="Export as CSV")).to_be_hidden()
    assert page.pdf()[:4] == b"%PDF"


def test_without_javascript_the_pack_is_a_printable_worksheet(browser, pack_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(pack_url)
    expect(page.get_by_role("table", name="Symptom diary worksheet")).to_be_visible()
    expect(page.locator("[data-diary-form]")).to_be_hidden()
    expect(page.get_by_label("How long will recovery take?")).to_be_visible()
    context.close()
