"""Every word a patient or staff member reads in a template is inside a translation tag, so
`makemessages` collects it for the Spanish translation."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NOT_FOR_PEOPLE = {"robots.txt"}  # read by crawlers only

# What may legitimately hold words: translation tags, comments, variables and other tags.
TRANSLATED_BLOCK = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.DOTALL
)
TRANSLATE_TAG = re.compile(r"{%\s*trans(?:late)?\s.*?%}", re.DOTALL)
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
# Blocks that hold CSS class names, not words (the admin's <body class="…">).
CLASS_BLOCK = re.compile(r"{%\s*block bodyclass\s*%}.*?{%\s*endblock\s*%}", re.DOTALL)
TEMPLATE_SYNTAX = re.compile(r"{#.*?#}|{{.*?}}|{%.*?%}", re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL)
TAG = re.compile(r"<[^>]*>", re.DOTALL)
# Attributes whose values people read (or hear from a screen reader).
READABLE_ATTRIBUTE = re.compile(
    r"""\b(alt|title|aria-label|aria-description|placeholder|label)\s*=\s*("[^"]*"|'[^']*')"""
)
BUTTON_VALUE = re.compile(
    r"""<input\b[^>]*\btype=["'](?:submit|button|reset)["'][^>]*\bvalue=("[^"]*"|'[^']*')"""
)
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
# Words handed to an included template: `{% include … with title="About us" %}`, `"…"|add:`.
READABLE_ARGUMENT = re.compile(
    r"""\b(?:title|description|current|parent_title|label|image_alt|heading_text)=("[^"]*"|'[^']*')"""
    r"""|("[^"]*"|'[^']*')\|add:"""
)
TAG_SOURCE = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
LETTER = re.compile(r"[^\W\d_]")


def untranslated_text(source: str) -> list[str]:
    """The readable words in a template that no translation tag covers."""
    for pattern in (COMMENT_BLOCK, CLASS_BLOCK, TRANSLATED_BLOCK, TRANSLATE_TAG):
        source = pattern.sub(" ", source)
    found = []
    for tag in TAG_SOURCE.findall(source):
        for keyword_value, added in READABLE_ARGUMENT.findall(tag):
            if LETTER.search(keyword_value or added):
                found.append(f"argument: {keyword_value or added}")
    markup = TAG_SOURCE.sub(" ", source)
    for value in [*READABLE_ATTRIBUTE.findall(markup), *BUTTON_VALUE.findall(markup)]:
        value = value[1] if isinstance(value, tuple) else value
        text = TEMPLATE_SYNTAX.sub(" ", value.strip("\"'"))
        if LETTER.search(text):
            found.append(f"attribute: {value}")
    text = HTML_COMMENT.sub(" ", SCRIPT_OR_STYLE.sub(" ", source))
    text = TAG.sub(" ", TEMPLATE_SYNTAX.sub(" ", text))
    for line in ENTITY.sub(" ", text).splitlines():
        if LETTER.search(line):
            found.append(line.strip())
    return found


def people_templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt"} and path.name not in NOT_FOR_PEOPLE
    )


def test_the_checker_finds_words_outside_translation_tags():
    assert untranslated_text("<p>Call us</p>") == ["Call us"]
    assert untranslated_text('<img alt="A drawing" src="x.svg">') == ['attribute: "A drawing"']
    assert untranslated_text('<input type="submit" value="Save">') == ['attribute: "Save"']
    assert untranslated_text("{% translate 'Call us' %} {{ clinic.phone }} &rsaquo; ·") == []
    block = "{% blocktranslate trimmed with n=count %}\n{{ n }} visits\n{% endblocktranslate %}"
    assert untranslated_text(block) == []
    assert untranslated_text('<a href="/x/" class="btn btn-primary">{{ label }}</a>') == []
    include = '{% include "includes/meta.html" with title="About us" og_type="article" %}'
    assert untranslated_text(include) == ['argument: "About us"']
    assert untranslated_text('{{ "Cancel "|add:reference }}') == ['argument: "Cancel "']


@pytest.mark.parametrize(
    "template", people_templates(), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_every_readable_word_in_a_template_is_marked_for_translation(template):
    assert untranslated_text(template.read_text()) == []
