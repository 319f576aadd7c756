"""What a patient may type: names made of letters, notes without hidden control characters."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NAME_PUNCTUATION = frozenset(" '’-.")  # O’Brien, Jean-Luc, St. John, Mary Ann
# Words that automated form-fillers and broken apps put where a name goes.
NOT_NAMES = frozenset({"null", "undefined", "none", "nan", "true", "false"})
# Characters that reorder or hide text (bidirectional overrides, zero-width): never in a note.
HIDDEN_FORMATTING = frozenset(
    "\u200b\u200e\u200f"  # zero-width space, left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # isolates
    "\ufeff"  # zero-width no-break space
)


def is_letter(character: str) -> bool:
    """A letter of any script, or a mark that belongs to one (accents, vowel signs)."""
    return unicodedata.category(character)[0] in {"L", "M"}


def validate_person_name(value: str) -> None:
    """Letters of any script, with spaces, apostrophes, hyphens and dots between them."""
    if (
        not value
        or not is_letter(value[0])
        or any(not (is_letter(character) or character in NAME_PUNCTUATION) for character in value)
    ):
        raise ValidationError(
            _(
                "Please use letters only, with spaces, apostrophes (’), hyphens (-) or "
                "dots (.) where your name has them."
            ),
            code="invalid_name",
        )
    if value.casefold() in NOT_NAMES:
        raise ValidationError(_("Please enter your real name."), code="not_a_name")


def validate_plain_text(value: str) -> None:
    """Any text and line breaks, but no control or hidden formatting characters."""
    for character in value:
        control = unicodedata.category(character) == "Cc" and character not in "\n\r\t"
        if control or character in HIDDEN_FORMATTING:
            raise ValidationError(
                _("Your note contains a hidden character we cannot store. Please retype it."),
                code="control_character",
            )
