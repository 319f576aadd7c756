"""Lean, cacheable assets: small CSS and JS, compressed and immutable; images that never
shift the layout, with only the first one loaded eagerly."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

pytestmark = pytest.mark.django_db

PAGES = ["/", "/conditions/", "/conditions/arthritis/", "/about/", "/privacy/", "/book/"]
BUDGET_BYTES = 40 * 1024


def assets_of(html: str) -> list[str]:
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    return stylesheets + scripts


@pytest.mark.parametrize("url", PAGES)
def test_css_and_js_of_a_page_weigh_40_kb_at_most_with_brotli(client, open_every_day, url):
    html = client.get(url).content.decode()
    assets = assets_of(html)
    assert assets, "the page links its stylesheet"
    total = 0
    for asset in assets:
        name = asset.removeprefix(settings.STATIC_URL)
        compressed = Path(settings.STATIC_ROOT) / f"{name}.br"
        assert compressed.exists(), f"{name} has no brotli version"
        total += compressed.stat().st_size
    assert total <= BUDGET_BYTES, f"{url}: {total} bytes"


def test_static_files_are_compressed_and_cached_forever(client):
    url = staticfiles_storage.url("css/site.css")
    assert re.search(r"site\.[0-9a-f]{12}\.css$", url)  # the name changes with the content
    response = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]


def test_no_web_fonts_anywhere():
    css = (Path(settings.STATIC_ROOT) / staticfiles_storage.stored_name("css/site.css")).read_text()
    assert "@font-face" not in css
    assert "system-ui" in css


@pytest.mark.parametrize("url", ["/", "/conditions/arthritis/", "/conditions/", "/about/"])
def test_images_have_sizes_and_only_the_first_loads_eagerly(client, starting_content, url):
    html = client.get(url).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    images = re.findall(r"<img [^>]*>", main)
    assert all('width="' in img and 'height="' in img for img in images), images
    if url in ("/", "/conditions/arthritis/"):
        first, rest = images[0], images[1:]
        assert 'fetchpriority="high"' in first and 'loading="lazy"' not in first
    else:
        rest = images
    assert all('loading="lazy"' in img for img in rest), rest
