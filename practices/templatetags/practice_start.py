"""Today's one-tap way into practice, without the home view having to know about it."""

from django import template
from django.core.cache import cache
from django.db.models import Count, Q

from practices.forms import ReadyToBegin, ready_to_begin
from practices.models import Practice

register = template.Library()

# Kept until the person's data changes (their version is in the key); the
# catalog itself changes rarely, and an hour later at most it shows.
CACHE_SECONDS = 3600


@register.simple_tag(takes_context=True)
def practices_to_begin(context, how_many: int) -> list[ReadyToBegin]:
    """The person's most practised practices (catalog order for a newcomer),
    each with the settings its Begin button starts with."""
    user = context["request"].user
    key = f"practices-to-begin:{user.public_id}:{user.data_version}:{how_many}"
    choices = cache.get(key)
    if choices is None:
        practices = Practice.objects.annotate(
            times=Count("sessions", filter=Q(sessions__user=user))
        ).order_by("-times", "position", "name")[:how_many]
        choices = [choice for _, choice in ready_to_begin(user, practices)]
        cache.set(key, choices, CACHE_SECONDS)
    return choices
