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


def test_e_mail_autolinks_and_phone_links_stay_links():
    html = render_markdown(
        "E-mail <hello@balancedhealth.example> or call [+1 555-0100](tel:+15550100)."
    )
    assert 'href="mailto:hello@balancedhealth.example"' in html
    assert ">hello@balancedhealth.example</a>" in html
    assert '<a href="tel:+15550100" rel="noopener noreferrer">+1 555-0100</a>' in html


def test_script_addresses_are_removed_however_they_are_written():
    html = render_markdown(
        "[a](JaVaScRiPt:alert(1)) <javascript:alert(1)> [b](java&#115;cript:alert(1)) "
        "[c](vbscript:msgbox(1)) [d](data:text/html;base64,PHNjcmlwdD4=)"
    )
    assert "href=" not in html
    assert "script" not in html.lower()
    assert "data:" not in html
    for words in "abcd":
        assert f">{words}</a>" in html  # the words stay, without the address
