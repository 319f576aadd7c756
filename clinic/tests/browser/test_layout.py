"""How the pages are laid out, measured in a real Chromium at the widths patients use: the
header on one row from 992 px up and compact below, the home page's grid and alignment, the
drawings inside their frames, margins, phone numbers that never break, breadcrumbs in line
with the text, and the actions that stay within reach on a phone."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from clinic.tests.browser.test_quality import fill_in_a_valid_request, send_request
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
