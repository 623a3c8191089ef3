"""Dates written as in French: "1er octobre 2026", "25 novembre 2026 à 14 h 05"."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def french_date(value, with_time: str = ""):
    """``{{ day|french_date }}``, or ``{{ moment|french_date:"heure" }}`` to add the time."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {date_format(value, 'F Y')}"
    if with_time and isinstance(value, datetime):
        text += f" à {value.hour} h {value.minute:02d}"
    return text
