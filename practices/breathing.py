"""Breathing patterns for the pacer: what each one asks of the breath, in phases.

The patterns live in code rather than the database because the pacer has to
understand them; their wording sits next to the numbers so the two stay true
to each other.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

RESONANCE_DEFAULT_RATE = 5.5
RESONANCE_MIN_RATE = 4.5
RESONANCE_MAX_RATE = 7.0
# Your own pattern: the seconds each part may last, (fewest, most).
CUSTOM_SECONDS = {"inhale": (1, 15), "hold_in": (0, 15), "exhale": (1, 20), "hold_out": (0, 15)}


@dataclass(frozen=True)
class Phase:
    """One part of a breath: what to do, for how long, and how big the shape ends up."""

    label: str
    seconds: float
    # The pacer shape's size at the end of the phase, from 0.4 (empty) to 1 (full).
    size: float
    kind: str  # in, hold or out: picks the pitch of the optional tone

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "seconds": round(self.seconds, 3),
            "size": self.size,
            "kind": self.kind,
        }


EMPTY = 0.4
FULL = 1.0


def breathe_in(seconds: float, size: float = FULL) -> Phase:
    return Phase("Breathe in", seconds, size, "in")


def breathe_out(seconds: float) -> Phase:
    return Phase("Breathe out", seconds, EMPTY, "out")


def hold(seconds: float, size: float) -> Phase:
    return Phase("Hold", seconds, size, "hold")


@dataclass(frozen=True)
class Pattern:
    key: str
    name: str
    summary: str  # one line, beside the choice
    about: str  # the longer story with its sources, behind a disclosure


PATTERNS = {
    pattern.key: pattern
    for pattern in [
        Pattern(
            "cyclic-sighing",
            "Cyclic sighing",
            "Breathe in, top up, then sigh out slowly.",
            "Breathe in through your nose, then take a short second sip of air on top, "
            "and let it all go in a long, slow breath out through your mouth. In a study by "
            "Balban and colleagues (2023), people who practised five minutes a day for a "
            "month reported a better mood, and this pattern showed the largest change of the "
            "ones compared. That is one study rather than a promise, and a gentle place to "
            "start.",
        ),
        Pattern(
            "box",
            "Box breathing, 4-4-4-4",
            "In, hold, out, hold: four counts each.",
            "In for 4, hold for 4, out for 4, hold for 4. Box breathing was one of the "
            "patterns in the same 2023 study. Its even rhythm is easy to follow when your "
            "thoughts are busy.",
        ),
        Pattern(
            "resonance",
            "Resonance breathing",
            "Slow and even, five or six a minute.",
            "Slow, even breaths in and out, about five or six a minute. Research suggests the "
            "rate at which breath and heartbeat fall into step differs from person to person "
            "(Steffen and colleagues 2017; Shaffer and Meehan 2020), so adjust it until it "
            "feels easy, anywhere from 4.5 to 7 breaths a minute.",
        ),
        Pattern(
            "4-7-8",
            "4-7-8 breathing",
            "In for 4, hold for 7, out for 8.",
            "In for 4, hold for 7, out for 8. A traditional pattern that many people use. We "
            "haven't found a trial that tested it, so notice for yourself how it feels. If "
            "the long hold is uncomfortable, choose another pattern.",
        ),
        Pattern(
            "custom",
            "Your own pattern",
            "You choose the seconds for each part.",
            "Choose how many seconds to breathe in, hold, breathe out and hold again.",
        ),
    ]
}
DEFAULT_PATTERN = "cyclic-sighing"


def phases_for(parameters: dict) -> list[Phase]:
    """The phases of one breath for a session's saved pattern parameters."""
    key = parameters.get("pattern", DEFAULT_PATTERN)
    if key == "box":
        return [breathe_in(4), hold(4, FULL), breathe_out(4), hold(4, EMPTY)]
    if key == "4-7-8":
        return [breathe_in(4), hold(7, FULL), breathe_out(8)]
    if key == "resonance":
        rate = float(parameters.get("breaths_per_minute", RESONANCE_DEFAULT_RATE))
        half = 60 / rate / 2
        return [breathe_in(half), breathe_out(half)]
    if key == "custom":
        phases = [breathe_in(parameters["inhale"])]
        if parameters.get("hold_in"):
            phases.append(hold(parameters["hold_in"], FULL))
        phases.append(breathe_out(parameters["exhale"]))
        if parameters.get("hold_out"):
            phases.append(hold(parameters["hold_out"], EMPTY))
        return phases
    # Cyclic sighing: a full breath in, a short top-up, then a long breath out.
    return [breathe_in(2, 0.85), Phase("Breathe in a little more", 1, FULL, "in"), breathe_out(6)]


def describe(parameters: dict) -> str:
    """The pattern in words, for the page without the animated pacer and for history."""
    parts = []
    for phase in phases_for(parameters):
        what = phase.label.lower()
        if phase.seconds == int(phase.seconds):
            whole = int(phase.seconds)
            parts.append(
                ngettext("%(what)s for %(n)d second", "%(what)s for %(n)d seconds", whole)
                % {"what": what, "n": whole}
            )
        else:  # plural forms count whole numbers; a part-second is said on its own
            parts.append(
                gettext("%(what)s for %(n)s seconds") % {"what": what, "n": f"{phase.seconds:.1f}"}
            )
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."


def name_for(parameters: dict) -> str:
    pattern = PATTERNS.get(parameters.get("pattern", ""), PATTERNS[DEFAULT_PATTERN])
    if pattern.key == "resonance":
        rate = float(parameters.get("breaths_per_minute", RESONANCE_DEFAULT_RATE))
        return f"{pattern.name}, {rate:g} breaths a minute"
    return pattern.name
