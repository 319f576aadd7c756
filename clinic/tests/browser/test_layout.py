"""How the pages are laid out, measured in a real Chromium at the widths patients use: the
header on one row from 992 px up and compact below, the home page's grid and alignment, the
drawings inside their frames, margins, phone numbers that never break, breadcrumbs in line
with the text, and the actions that stay within reach on a phone."""

import datetime
import itertools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from clinic.cache import public_pages_changed
from clinic.models import ClinicProfile
from clinic.tests.browser.test_quality import fill_in_a_valid_request, send_request
from clinic.tests.factories import ClosureFactory
from clinic.tests.public_pages import CONDITION_SLUGS, MISSING_PATH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP_WIDTHS = [992, 1100, 1200, 1280, 1366]
CONDITION_PAGES = [f"/conditions/{slug}/" for slug in CONDITION_SLUGS]
PAGES_WITH_BREADCRUMBS = ["/conditions/", *CONDITION_PAGES, "/about/", "/privacy/", "/book/"]
LONG_NATIONAL_NUMBER = "(410) 555-0188"
DAYS_AHEAD = datetime.timedelta(days=3)
ILLUSTRATIONS = sorted((Path(settings.BASE_DIR) / "static" / "img").rglob("*.svg"))

# Shared by the measurements below: an element's box, and how many lines its text takes.
MEASURE = """() => {
window.__box = (element) => {
  const box = element.getBoundingClientRect();
  return {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
          width: box.width, height: box.height};
};
window.__lines = (element) => {
  // Line boxes of the text shown; a visually hidden part (1 px wide) is not on screen.
  const bottoms = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.getBoundingClientRect().width <= 1) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) if (rect.width > 0) bottoms.push(rect.bottom);
  }
  bottoms.sort((a, b) => a - b);
  return bottoms.filter((bottom, i) => i === 0 || bottom - bottoms[i - 1] > 3).length;
};
window.__text = (element) => (element.innerText || "").trim().replace(/\\s+/g, " ");
}"""


@pytest.fixture
def open_page(browser, site_server, open_every_day, settings):
    """Opens a path in a fresh browser profile at a given width (JavaScript on or off)."""
    settings.BOOKING_MIN_FILL_SECONDS = 0
    contexts = []

    def open_page(path: str, width: int, *, height: int = 800, javascript: bool = True):
        context = browser.new_context(
            base_url=site_server,
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            locale="en-US",
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        page.wait_for_load_state("load")
        page.evaluate(MEASURE)  # through DevTools: works with the page's JavaScript off too
        return page

    yield open_page
    for context in contexts:
        context.close()


# ---------------------------------------------------------------- the header

HEADER = """() => {
  const header = document.querySelector("header");
  const brand = header.querySelector(".brand");
  const items = [brand, ...header.querySelectorAll("nav a"), ...header.querySelectorAll(".btn")]
    .filter((element) => element.checkVisibility());
  return {
    header: __box(header),
    items: items.map((element) => ({text: __text(element), lines: __lines(element),
                                    ...__box(element)})),
  };
}"""


def header_items(page) -> list[dict]:
    return page.evaluate(HEADER)["items"]


def use_phone_number(number: str) -> None:
    ClinicProfile.objects.update(phone=number)
    public_pages_changed()


@pytest.mark.parametrize("number", ["+1 555-0100", LONG_NATIONAL_NUMBER])
@pytest.mark.parametrize("width", DESKTOP_WIDTHS)
def test_the_header_is_one_row_from_992_px_up(width, number, open_page):
    use_phone_number(number)
    items = header_items(open_page("/conditions/arthritis/", width))
    texts = [item["text"] for item in items]
    assert texts == [
        "Acupuncture Balanced Health",
        "Conditions",
        "About us",
        "Contact",
        f"Call {number}",
        "Request an appointment",
    ]
    wrapped = [item["text"] for item in items if item["lines"] != 1]
    assert not wrapped, f"at {width} px these wrap: {wrapped}"
    band_top = max(item["top"] for item in items)
    band_bottom = min(item["bottom"] for item in items)
    assert band_top < band_bottom, f"at {width} px the header is not one row: {items}"
    for item, following in itertools.pairwise(items):
        assert item["right"] <= following["left"], f"{item['text']} runs into {following['text']}"
    assert items[-1]["right"] <= width, "the header fits the window"


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("width", [320, 360, 768, 991])
def test_below_992_px_the_header_is_compact_and_needs_no_javascript(width, javascript, open_page):
    page = open_page("/", width, javascript=javascript)
    measured = page.evaluate(HEADER)
    items = {item["text"]: item for item in measured["items"]}
    brand = items["Acupuncture Balanced Health"]
    assert brand["lines"] == (1 if width >= 360 else 2), "the name wraps only where it cannot fit"
    links = [items[name] for name in ("Conditions", "About us", "Contact")]
    inside = all(item["right"] <= width - brand["left"] + 0.5 for item in [brand, *links])
    assert inside, "the name and the links keep the page's side margin"
    assert len({round(link["top"]) for link in links}) == 1, "the three links share one row"
    assert all(link["bottom"] <= page.viewport_size["height"] for link in links)
    assert measured["header"]["height"] <= 120, "brand and navigation take two short rows at most"
    navigation = page.get_by_role("navigation", name="Main")
    for name in ("Conditions", "About us", "Contact"):
        expect(navigation.get_by_role("link", name=name)).to_be_visible()


def test_the_header_is_in_reading_order_for_the_keyboard(open_page):
    page = open_page("/", 360, javascript=False)
    stops = []
    for _ in range(7):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("() => __text(document.activeElement)"))
        visible = page.evaluate(
            """() => {
              const box = document.activeElement.getBoundingClientRect();
              const hit = document.elementFromPoint(box.left + box.width / 2,
                                                    box.top + box.height / 2);
              return Boolean(hit) && document.activeElement.contains(hit);
            }"""
        )
        assert visible, f"{stops[-1]!r} is focused but not visible"
    assert stops[:5] == [
        "Skip to main content",
        "Acupuncture Balanced Health",
        "Conditions",
        "About us",
        "Contact",
    ]
    assert stops[5].startswith("Call")
    assert stops[6] in {"Request an appointment", "Book"}


@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("slug", ["arthritis", "spinal-stenosis"])
def test_the_headers_request_link_on_a_condition_page_keeps_the_condition(slug, width, open_page):
    page = open_page(f"/conditions/{slug}/", width)
    banner = page.get_by_role("banner")
    banner.get_by_role("link", name=re.compile(r"^(Request an appointment|Book)$")).click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/book/?reason={slug}")
    chosen = page.locator("input[name=reason]:checked")
    expect(chosen).to_have_value(slug)


# ---------------------------------------------------------------- the home page


@pytest.mark.parametrize("width", [992, 1200, 1366])
def test_the_heros_two_actions_share_one_row_at_desktop(width, open_page):
    page = open_page("/", width)
    buttons = page.evaluate("() => [...document.querySelectorAll('.hero .btn')].map(__box)")
    assert len(buttons) == 2
    assert abs(buttons[0]["top"] - buttons[1]["top"]) < 1, f"stacked at {width} px: {buttons}"


CARD_ROWS = """() => {
  const cards = [...document.querySelectorAll("main .condition-card")].map(__box);
  const heading = document.querySelector("main h1, main h2").closest(".container");
  const style = getComputedStyle(heading);
  const box = __box(heading);
  const left = box.left + parseFloat(style.paddingLeft);
  const right = box.right - parseFloat(style.paddingRight);
  const rows = {};
  for (const card of cards) (rows[Math.round(card.top)] ||= []).push(card);
  return Object.values(rows).map((row) => ({
    cards: row.length,
    space_left: Math.min(...row.map((card) => card.left)) - left,
    space_right: right - Math.max(...row.map((card) => card.right)),
  }));
}"""


@pytest.mark.parametrize("width", [768, 992, 1200, 1366])
@pytest.mark.parametrize("path", ["/", "/conditions/"])
def test_the_five_condition_cards_leave_no_empty_cell(path, width, open_page):
    rows = open_page(path, width).evaluate(CARD_ROWS)
    assert sum(row["cards"] for row in rows) == 5
    for row in rows:
        lopsided = abs(row["space_left"] - row["space_right"]) > 2
        assert not lopsided, f"a row with an empty cell at {width} px: {rows}"


ALIGNMENT = """() => {
  const brand = __box(document.querySelector("header .brand")).left;
  const text = [...document.querySelectorAll("main h1, main h2, main p, main ul, main ol")]
    .filter((element) => !element.closest(".card, .cta"))  // boxes with their own padding
    .filter((element) => element.checkVisibility());
  return {brand, off: text.map((element) => [element.tagName + " " + __text(element).slice(0, 40),
                                             Math.round(__box(element).left - brand)])
                          .filter(([, offset]) => offset !== 0)};
}"""


@pytest.mark.parametrize("closures", [False, True])
@pytest.mark.parametrize("width", [360, 992, 1366])
def test_every_home_section_starts_at_the_same_left_edge(width, closures, open_page):
    if closures:
        ClosureFactory(reason="Thanksgiving", start_date=timezone.localdate() + DAYS_AHEAD)
    measured = open_page("/", width).evaluate(ALIGNMENT)
    assert measured["off"] == [], f"at {width} px, out of line with the header: {measured['off']}"


@pytest.mark.parametrize("width", [360, 1366])
def test_the_home_page_shows_address_and_hours_once_and_closures_if_any(width, open_page):
    ClosureFactory(reason="Thanksgiving", start_date=timezone.localdate() + DAYS_AHEAD)
    page = open_page("/", width)
    expect(page.locator("address")).to_have_count(1)
    expect(page.locator(".hours-table")).to_have_count(1)
    expect(page.locator("footer address")).to_be_visible()
    expect(page.get_by_role("heading", name="Coming closures")).to_be_visible()
    expect(page.get_by_text("Thanksgiving")).to_be_visible()


# ---------------------------------------------------------------- drawings

SVG_OVERFLOW = """() => {
  const svg = document.documentElement;
  const view = svg.viewBox.baseVal;
  const toView = svg.getScreenCTM().inverse();
  const outside = [];
  const shapes = "path, rect, circle, ellipse, line, polyline, polygon, text, use";
  for (const shape of svg.querySelectorAll(shapes)) {
    const style = getComputedStyle(shape);
    const half = style.stroke === "none" ? 0 : parseFloat(style.strokeWidth) / 2;
    const box = shape.getBBox();
    const matrix = toView.multiply(shape.getScreenCTM());
    const corners = [[box.x, box.y], [box.x + box.width, box.y + box.height]]
      .map(([x, y]) => new DOMPoint(x, y).matrixTransform(matrix));
    const [a, b] = corners;
    const edges = {left: Math.min(a.x, b.x) - half, top: Math.min(a.y, b.y) - half,
                   right: Math.max(a.x, b.x) + half, bottom: Math.max(a.y, b.y) + half};
    if (edges.left < view.x - 0.01 || edges.top < view.y - 0.01 ||
        edges.right > view.x + view.width + 0.01 || edges.bottom > view.y + view.height + 0.01) {
      outside.push(`${shape.tagName} ${JSON.stringify(edges)}`);
    }
  }
  return outside;
}"""


@pytest.mark.parametrize("drawing", ILLUSTRATIONS, ids=lambda path: path.name)
def test_every_drawing_lies_inside_its_frame(drawing, browser):
    """A shape past the viewBox is cut off where the picture ends (strokes included)."""
    page = browser.new_page()
    try:
        page.goto(drawing.as_uri())
        outside = page.evaluate(SVG_OVERFLOW)
    finally:
        page.close()
    assert outside == [], f"{drawing.name}: shapes outside the viewBox: {outside}"


PICTURE_GAP = """() => {
  const picture = __box(document.querySelector(".condition__header img"));
  const below = [...document.querySelectorAll(".red-flags, .condition__text > :first-child")]
    .map((element) => [element.className || element.tagName, __box(element)])
    .filter(([, box]) => box.top >= picture.top)
    .filter(([, box]) => box.left < picture.right && box.right > picture.left);
  return below.map(([name, box]) => [name, Math.round(box.top - picture.bottom)]);
}"""


@pytest.mark.parametrize("width", [360, 768, 992, 1366])
@pytest.mark.parametrize("path", CONDITION_PAGES)
def test_a_condition_pages_picture_has_room_below_it(path, width, open_page):
    gaps = open_page(path, width).evaluate(PICTURE_GAP)
    assert gaps, "something sits below the picture"
    assert all(gap >= 24 for _, gap in gaps), f"at {width} px: {gaps}"


# ---------------------------------------------------------------- margins and lines

MARGINS = """() => {
  const edge = __box(document.querySelector("header .brand")).left;
  return [...document.querySelectorAll("main h1, main p, main li")]
    .map((element) => [__text(element).slice(0, 30), __box(element)])
    .filter(([, box]) => box.left < edge - 0.5 || box.right > window.innerWidth - edge + 0.5)
    .map(([text, box]) => `${text}: ${Math.round(box.left)}–${Math.round(box.right)} px`);
}"""


@pytest.mark.parametrize("width", [320, 360])
def test_the_real_404_page_keeps_a_side_margin_on_a_phone(width, open_page):
    assert not settings.DEBUG  # Django's own debug 404 would be another page
    page = open_page(MISSING_PATH, width)
    expect(page.get_by_role("heading", level=1)).to_have_text("We can’t find that page")
    assert page.evaluate(MARGINS) == []


PHONE_LINES = """() => [...document.querySelectorAll('a[href^="tel:"]')]
  .filter((link) => link.checkVisibility())
  .map((link) => [__text(link), __lines(link)])
  .filter(([, lines]) => lines !== 1)"""


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("path", ["/", CONDITION_PAGES[0], "/about/", "/privacy/", MISSING_PATH])
def test_a_phone_number_never_breaks_across_lines(path, width, open_page):
    assert open_page(path, width).evaluate(PHONE_LINES) == []


@pytest.mark.parametrize("width", [320, 360])
def test_the_phone_number_on_the_confirmation_page_stays_on_one_line(width, open_page):
    page = open_page("/book/?reason=arthritis", width)
    fill_in_a_valid_request(page)
    send_request(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    page.evaluate(MEASURE)
    assert page.locator('main a[href^="tel:"]').count() >= 1
    assert page.evaluate(PHONE_LINES) == []


BREADCRUMB_EDGES = """() => {
  const main = document.querySelector("main");
  const crumb = main.querySelector("nav[aria-label=Breadcrumb] a");
  const heading = main.querySelector("h1");
  const text = [...main.querySelectorAll("h1 ~ p, h1 ~ * p")].find((p) => p.checkVisibility());
  return {breadcrumb: __box(crumb).left, heading: __box(heading).left, text: __box(text).left};
}"""


@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("path", PAGES_WITH_BREADCRUMBS)
def test_breadcrumbs_line_up_with_the_heading_and_text(path, width, open_page):
    edges = open_page(path, width).evaluate(BREADCRUMB_EDGES)
    assert len({round(edge) for edge in edges.values()}) == 1, edges


# ---------------------------------------------------------------- within reach on a phone

REACH = """() => {
  const shown = (element) => {
    const box = element.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight || box.width === 0) return false;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return Boolean(hit) && element.contains(hit);
  };
  const actions = [...document.querySelectorAll("a[href]")]
    .filter((link) => /^(Call|Request an appointment|Book)\\b/.test(__text(link)))
    .filter(shown)
    .map(__text);
  const legal = document.querySelector("footer").lastElementChild.lastElementChild;
  const box = legal.getBoundingClientRect();
  const points = [[box.left + 1, box.top + 1], [box.right - 1, box.bottom - 1],
                  [box.left + box.width / 2, box.top + box.height / 2]];
  const covered = points.some(([x, y]) => !legal.contains(document.elementFromPoint(x, y)));
  return {actions, legal: __text(legal), covered, fullyInView: box.bottom <= window.innerHeight};
}"""


@pytest.mark.parametrize("path", ["/", "/conditions/herniated-disks/", "/about/", "/book/"])
def test_on_a_phone_an_action_stays_within_reach_without_covering_the_end(path, open_page):
    page = open_page(path, 360, height=740)
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(100)
    reach = page.evaluate(REACH)
    assert reach["actions"], "scrolled to the end, neither Call nor Request is in view"
    assert reach["legal"].startswith("©")
    assert reach["fullyInView"] and not reach["covered"], "the footer's last line is covered"


FOCUS_OBSCURED = """() => {
  const element = document.activeElement;
  const box = element.getBoundingClientRect();
  const middle = box.left + box.width / 2;
  const points = [[middle, box.top + 2], [middle, box.bottom - 2]];
  const where = `${Math.round(box.top)}–${Math.round(box.bottom)} px`;
  return points.some(([x, y]) => !element.contains(document.elementFromPoint(x, y)))
    ? `${element.tagName} ${__text(element).slice(0, 40)} at ${where}`
    : null;
}"""


def test_on_a_phone_nothing_hides_the_focused_element(open_page):
    page = open_page("/conditions/herniated-disks/", 360, height=740)
    hidden, stops = [], 0
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            break
        stops += 1
        obscured = page.evaluate(FOCUS_OBSCURED)
        if obscured:
            hidden.append(obscured)
    assert stops > 15
    assert hidden == [], "focused but covered: " + "; ".join(hidden)
