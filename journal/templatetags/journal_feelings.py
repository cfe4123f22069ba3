"""The feeling picker's pieces: Today's "how are you?" tiles and the entry form's words."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag
def word_tiles(words, field_name: str, strengths=None) -> SafeString:
    """One quadrant's word tiles for the feeling picker (journal/includes/emotion_picker.html).

    `words` holds (emotion, chosen?, strength); with `strengths` (value, label)
    pairs, each word carries its strength radios, shown once it is chosen. All
    121 words are on every entry form, each with five strengths: as a template
    loop they were most of the page's time, so they are built here as escaped
    strings, like the charts' repeated shapes (progress/charts.py).
    """
    field = escape(field_name)
    scale = [(value, escape(label)) for value, label in strengths or ()]
    tiles = []
    for emotion, chosen, strength in words:
        word = escape(emotion.word)
        tile_id = f"{field}-{word}"
        tile = (
            f'<li data-word="{word}" class="{"is-chosen" if chosen else ""}">'
            f'<label class="word-tile">'
            f'<input type="checkbox" name="{field}" value="{word}" id="{tile_id}"'
            f' aria-labelledby="{tile_id}-word" aria-describedby="{tile_id}-meaning"'
            f"{' checked' if chosen else ''}>"
            f'<span class="word" id="{tile_id}-word">{word}</span>'
            f' <span class="meaning" id="{tile_id}-meaning">{escape(emotion.meaning)}</span>'
            f"</label>"
        )
        if scale:
            segments = "".join(
                f'<label><input type="radio" name="intensity-{word}" value="{value}"'
                f"{' checked' if value == strength else ''}><span>{label}</span></label>"
                for value, label in scale
            )
            tile += (
                f'<fieldset class="strength"><legend>How strong is “{word}”?</legend>'
                f'<div class="segments">{segments}</div></fieldset>'
            )
        tiles.append(tile + "</li>")
    return mark_safe("\n".join(tiles))  # every value above is escaped
