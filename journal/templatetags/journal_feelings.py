"""What Today's "how are you?" card needs from the journal, without a query."""

from django import template

from journal.forms import QUADRANT_PLAIN_WORDS
from journal.models import Quadrant

register = template.Library()


@register.simple_tag
def feeling_quadrants() -> list[dict[str, str]]:
    """The four quadrants as the card's tiles: key, everyday words, axis label."""
    return [
        {
            "key": quadrant.value,
            "plain": QUADRANT_PLAIN_WORDS[quadrant.value],
            "label": quadrant.label,
        }
        for quadrant in Quadrant
    ]
