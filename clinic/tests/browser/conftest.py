"""The browser quality suite's tools: a tab that watches everything the page does, axe-core,
the tap-target and layout measurements, and the screenshots."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

ROOT = Path(django_settings.BASE_DIR)
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MIN_TARGET_PX = 24  # WCAG 2.2, 2.5.8 Target Size (Minimum)
# The browser's warnings about the site's policy headers (e.g. "Error with
# Permissions-Policy header: Unrecognized feature"): a header the browser cannot read.
POLICY_HEADER = re.compile(
    r"(Permissions|Feature|Document|Referrer|Content[- ]Security|Cross-Origin-\w+)[- ]Policy",
    re.IGNORECASE,
)

# Runs in every document before the page's own scripts: keeps each CSP violation.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"}` +
    ` in ${event.sourceFile || document.URL}:${event.lineNumber}`
  );
});
"""

AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}"""

# Every visible pointer target smaller than the minimum, except what WCAG 2.5.8 exempts:
# links inline in a sentence, and visually hidden elements (then their label is the target).
SMALL_TARGETS = """(minimum) => {
  const isVisuallyHidden = (element) => {
    if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) return true;
    const box = element.getBoundingClientRect();
    if (box.right + window.scrollX <= 0 || box.bottom + window.scrollY <= 0) return true;
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.clip === "rect(0px, 0px, 0px, 0px)" || style.clipPath === "inset(50%)") return true;
    }
    return false;
  };
  const isInlineInText = (element) => {
    if (element.tagName !== "A" || getComputedStyle(element).display !== "inline") return false;
    const block = element.parentElement.closest("p, li, dd, address, td");
    return Boolean(block) && block.textContent.replace(element.textContent, "").trim() !== "";
  };
  const isTarget = (element) => {
    if (element.tagName !== "LABEL") return true;
    const control = element.control;
    return Boolean(control) && ["radio", "checkbox"].includes(control.type);
  };
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += "#" + element.id;
    for (const cls of element.classList) name += "." + cls;
    const text = (element.innerText || element.getAttribute("aria-label") || element.name || "")
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, label';
  return [...document.querySelectorAll(selector)]
    .filter((element) => isTarget(element) && !isVisuallyHidden(element))
    .filter((element) => !isInlineInText(element))
    .map((element) => [element, element.getBoundingClientRect()])
    .filter(([, box]) => box.width < minimum - 0.01 || box.height < minimum - 0.01)
    .map(([element, box]) =>
      `${describe(element)}: ${box.width.toFixed(1)}×${box.height.toFixed(1)}`);
}"""

# What sticks out past the right edge of the viewport, when the page scrolls sideways.
WIDE_ELEMENTS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const wide = [...document.body.querySelectorAll("*")]
    .filter((element) => element.getBoundingClientRect().right > width + 0.5)
    .map((element) => {
      let name = element.tagName.toLowerCase();
      for (const cls of element.classList) name += "." + cls;
      return `${name} (right edge at ${element.getBoundingClientRect().right.toFixed(0)}px)`;
    });
  const page = `page is ${document.documentElement.scrollWidth}px wide at ${width}px`;
  return [page, ...wide.slice(0, 8)];
}"""


@dataclass
class WatchedTab:
    """A browser tab and everything it reported: console errors, warnings about the policy
    headers, failed or foreign requests."""

    page: object
    origin: str
    expected_status: int = 200
    console_errors: list = field(default_factory=list)
    policy_warnings: list = field(default_factory=list)
    bad_requests: list = field(default_factory=list)
    foreign_requests: list = field(default_factory=list)
    documents: list = field(default_factory=list)

    def watch(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("request", self._on_request)
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("response", self._on_response)

    def _is_document(self, request) -> bool:
        return request.is_navigation_request() and request.frame == self.page.main_frame

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append((message.text, message.location.get("url", "")))
        elif message.type == "warning" and POLICY_HEADER.search(message.text):
            self.policy_warnings.append(message.text)

    def _on_page_error(self, error) -> None:
        self.console_errors.append((f"uncaught {error}", ""))

    def _unexpected_console_errors(self) -> list[str]:
        # Chromium logs a document answered with an error status like a failed resource:
        # allowed once per document that answered with the status the test expects.
        expected = "Failed to load resource: the server responded with a status of "
        expected += f"{self.expected_status} "
        allowed = [url for url, status in self.documents if status == self.expected_status]
        unexpected = []
        for text, url in self.console_errors:
            if text.startswith(expected) and url in allowed:
                allowed.remove(url)
            else:
                unexpected.append(f"{text} ({url})")
        return unexpected

    def _on_request(self, request) -> None:
        parts = urlsplit(request.url)
        own_host = urlsplit(self.origin).netloc
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != own_host:
            self.foreign_requests.append(f"{request.method} {request.url}")

    def _on_request_failed(self, request) -> None:
        if request.failure == "net::ERR_ABORTED":
            # Cancelled by Chromium itself (the tab moved on before a late favicon came):
            # what the server answers is watched in _on_response, what CSP blocks separately.
            return
        self.bad_requests.append(f"{request.method} {request.url} failed: {request.failure}")

    def _on_response(self, response) -> None:
        if self._is_document(response.request):
            self.documents.append((response.url, response.status))
            if response.status >= 400 and response.status != self.expected_status:
                self.bad_requests.append(f"document {response.url} answered {response.status}")
        elif response.status >= 400:
            self.bad_requests.append(f"{response.request.method} {response.url}: {response.status}")

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")

    def problems(self) -> list[str]:
        """What the tab saw that a patient or an auditor should never see."""
        found = [f"console error: {text}" for text in self._unexpected_console_errors()]
        found += [f"console warning: {text}" for text in self.policy_warnings]
        found += [f"request failed: {text}" for text in self.bad_requests]
        found += [f"request to another host: {text}" for text in self.foreign_requests]
        found += [f"CSP violation: {text}" for text in self.csp_violations()]
        last_status = self.documents[-1][1] if self.documents else None
        if last_status != self.expected_status:
            found.append(f"the page answered {last_status}, expected {self.expected_status}")
        return found


@pytest.fixture
def open_tab(browser, site_server, transactional_db, settings):
    """Opens watched tabs on the live site, each in a fresh browser profile at a named size."""
    settings.BOOKING_MIN_FILL_SECONDS = 0
    contexts = []

    def open_tab(size: str = "phone") -> WatchedTab:
        # en-US: the date field takes its digits as month, day, year.
        context = browser.new_context(base_url=site_server, viewport=SIZES[size], locale="en-US")
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        tab = WatchedTab(page=context.new_page(), origin=site_server)
        tab.watch()
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.x A and AA findings, one readable line per rule."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing at {AXE_SCRIPT}: run `npm ci`")
    # Evaluated through the DevTools protocol, which the page's CSP does not govern, so
    # injecting the checker neither needs nor causes a policy exception.
    page.evaluate(AXE_SCRIPT.read_text())
    return [
        f"axe {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'])}"
        for v in page.evaluate(AXE_RUN, WCAG_TAGS)
    ]


def small_targets(page) -> list[str]:
    return [
        f"target under {MIN_TARGET_PX}×{MIN_TARGET_PX} px: {text}"
        for text in page.evaluate(SMALL_TARGETS, MIN_TARGET_PX)
    ]


def sideways_scrolling(page) -> list[str]:
    wide = page.evaluate(WIDE_ELEMENTS)
    return [f"scrolls sideways: {'; '.join(wide)}"] if wide else []


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def quality_problems(tab: WatchedTab, name: str, size: str) -> list[str]:
    """Everything the suite checks on a page a patient sees, after a screenshot of it."""
    page = tab.page
    page.wait_for_load_state("load")
    problems = small_targets(page)  # measured at the top of the page, as a patient lands
    if size == "phone":
        problems += sideways_scrolling(page)
    screenshot(page, f"{name}-{size}")
    page.wait_for_load_state("networkidle")  # the lazy images the full-page shot brought in
    problems += axe_violations(page)
    return tab.problems() + problems


@pytest.fixture
def page_problems():
    """The quality checks as one call: `page_problems(tab, "home", "phone")` lists what failed."""
    return quality_problems
