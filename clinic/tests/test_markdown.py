from clinic.markdown import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("## Heading\n\nSome **bold** text.\n\n- one\n- two")
    assert "<h2>Heading</h2>" in html
    assert "<strong>bold</strong>" in html
    assert "<li>one</li>" in html


def test_a_pasted_script_never_reaches_the_page():
    html = render_markdown("Hello <script>alert('x')</script> world")
    assert "<script" not in html
    assert "alert" not in html
    assert "Hello" in html


def test_event_handlers_styles_and_javascript_links_are_removed():
    html = render_markdown(
        '<p onclick="steal()" style="color:red">Hi</p> [link](javascript:alert(1)) '
        '<img src="x" onerror="alert(1)"><iframe src="https://evil.example"></iframe>'
    )
    assert "onclick" not in html
    assert "style=" not in html
    assert "javascript:" not in html
    assert "<img" not in html
    assert "<iframe" not in html


def test_links_keep_their_address_and_are_safe():
    html = render_markdown("[Call us](tel:+15550100) or [read](https://example.org)")
    assert 'href="tel:+15550100"' in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html


def test_top_level_headings_are_demoted_to_text():
    html = render_markdown("# Not a second page title")
    assert "<h1>" not in html
    assert "Not a second page title" in html
