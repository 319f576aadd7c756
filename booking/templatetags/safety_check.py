"""The booking pages' forms say they were shown after the red-flag check."""

from django import template
from django.utils.html import format_html

from booking.safety_check import CHECKED_FORM_FIELD, checked_form_token

register = template.Library()


@register.simple_tag
def checked_form_field():
    """A hidden field: this form was shown after the check (booking.safety_check)."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', CHECKED_FORM_FIELD, checked_form_token()
    )
