"""Reflection prompts, and the one suggested to a person on a given day.

The prompts lean on ideas from interpersonal neurobiology (the river of
integration, the window of tolerance, the domains of integration, repair),
written in our own words.
"""

import math
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Prompt:
    key: str
    theme: str
    text: str


PROMPTS: tuple[Prompt, ...] = (
    Prompt(
        "name-it",
        "Name it to tame it",
        "Which feeling has been with you most today? Try giving it a name, and notice "
        "whether anything shifts once it has one.",
    ),
    Prompt(
        "sift",
        "SIFT",
        "Pause and sift through this moment. What sensations, images, feelings and "
        "thoughts are here right now?",
    ),
    Prompt(
        "window-home",
        "Window of tolerance",
        "When today did you feel most at home in yourself, able to think, feel and "
        "connect? What helped you stay there?",
    ),
    Prompt(
        "window-edges",
        "Window of tolerance",
        "Was there a moment today when things felt like too much, or when you went a "
        "little numb? What was happening just before?",
    ),
    Prompt(
        "flipped-lid",
        "Hand model of the brain",
        "Think of a recent time you lost your cool. What did you need right then, and "
        "what helped you come back to yourself?",
    ),
    Prompt(
        "pause",
        "Signs of integration",
        "Describe a moment when you paused before responding. What made that pause possible?",
    ),
    Prompt(
        "bend",
        "FACES: flexible",
        "Where did you bend a little today instead of holding on tight?",
    ),
    Prompt(
        "chaos-bank",
        "River of integration",
        "If today had a chaos bank, what pulled you toward it?",
    ),
    Prompt(
        "rigidity-bank",
        "River of integration",
        "If today had a rigidity bank, where did you feel stuck in one way of seeing or "
        "doing things?",
    ),
    Prompt(
        "flowing-middle",
        "River of integration",
        "What brought you back toward the flowing middle of the river today, even for a moment?",
    ),
    Prompt(
        "awareness",
        "Integration of consciousness",
        "For a minute, notice what you are aware of. Then notice the awareness itself. "
        "What was that like?",
    ),
    Prompt(
        "wheel-rim",
        "Wheel of Awareness",
        "Which part of your experience asked for attention today: your senses, your "
        "body, your thoughts and feelings, or your connections with others?",
    ),
    Prompt(
        "body-listening",
        "Vertical integration",
        "What is your body telling you right now? Start at your feet and move slowly "
        "upward, just noticing.",
    ),
    Prompt(
        "two-sides",
        "Bilateral integration",
        "Pick something on your mind. What does your logical side say about it, and what "
        "does your feeling side say? Can both be true?",
    ),
    Prompt(
        "gut-heart",
        "Vertical integration",
        "Notice a gut feeling or a heart feeling you had today. What might it have been "
        "trying to tell you?",
    ),
    Prompt(
        "memory",
        "Memory integration",
        "A memory came up today, or is close by now. What is it like to hold it with "
        "curiosity rather than judgement?",
    ),
    Prompt(
        "kind-listener",
        "Narrative integration",
        "Tell a small part of your story as if to a kind friend who truly wants to understand.",
    ),
    Prompt(
        "many-sides",
        "State integration",
        "Which different sides of you showed up today? What might each of them need?",
    ),
    Prompt(
        "feeling-felt",
        "Interpersonal integration",
        "When did you last feel felt by someone: seen, understood, cared for? What did they do?",
    ),
    Prompt(
        "helping-others-feel-felt",
        "Interpersonal integration",
        "How did you help someone feel seen today, or how might you tomorrow?",
    ),
    Prompt(
        "uncertainty",
        "Temporal integration",
        "Is there an uncertainty you are carrying? What would it be like to hold it a "
        "little more lightly?",
    ),
    Prompt(
        "larger-than-me",
        "Transpirational integration",
        "When did you recently feel part of something larger than yourself: nature, a "
        "community, a shared moment?",
    ),
    Prompt(
        "gentle-repair",
        "Repair",
        "Is a moment of disconnection still with you? What might a gentle repair look "
        "like, once you feel calm enough?",
    ),
    Prompt(
        "my-part",
        "Repair",
        "Think of a recent misunderstanding. Without blaming yourself or anyone else, "
        "what was your part in it?",
    ),
    Prompt(
        "coal",
        "Curiosity, openness, acceptance, love",
        "Bring curiosity, openness, acceptance and kindness to one thing you find hard "
        "about yourself. What do you notice?",
    ),
    Prompt(
        "friend-voice",
        "Kindness",
        "What would you say to a close friend who had the day you had?",
    ),
    Prompt(
        "glad",
        "Noticing the good",
        "What is one small thing from today that you are glad happened?",
    ),
    Prompt(
        "energy-flow",
        "FACES: energized",
        "What gave you energy today, and what used it up?",
    ),
    Prompt(
        "steady",
        "FACES: stable",
        "What helped you feel steady this week? How could you make a little more room for it?",
    ),
    Prompt(
        "thread",
        "FACES: coherent",
        "How does today fit into your bigger story? What thread runs through it?",
    ),
    Prompt(
        "unplanned",
        "FACES: adaptive",
        "Something changed that you did not plan for. How did you find your way with it?",
    ),
    Prompt(
        "room-to-be",
        "Differentiation",
        "Which part of your life needs a bit more room to be itself right now?",
    ),
    Prompt(
        "linking",
        "Linkage",
        "Which two parts of your life might feel better if they were more connected?",
    ),
    Prompt(
        "practice-effect",
        "Practice",
        "How did today's practice, or going without it, change the feel of your day?",
    ),
    Prompt(
        "senses-detail",
        "Wheel of Awareness",
        "Describe one thing you saw, heard or touched today in as much detail as you can.",
    ),
    Prompt(
        "kind-intention",
        "Intention",
        "What is one small intention for tomorrow that would feel kind to you?",
    ),
)

PROMPTS_BY_KEY = {prompt.key: prompt for prompt in PROMPTS}


def _stride(count: int) -> int:
    # A step that shares no factor with the number of prompts visits every
    # prompt before any repeats, and is never a whole turn, so two days in a
    # row always differ.
    step = 7
    while math.gcd(step, count) != 1 or step % count == 0:
        step += 1
    return step


STRIDE = _stride(len(PROMPTS))


def _daily_index(user, local_date: date) -> int:
    # The person's own offset keeps two people from marching in lockstep.
    seed = user.public_id.int % len(PROMPTS)
    return (seed + local_date.toordinal() * STRIDE) % len(PROMPTS)


def prompt_for(user, local_date: date, skip: int = 0) -> Prompt:
    """The prompt suggested to `user` on their `local_date`.

    The same person and day always get the same prompt, and it is never the
    one they were offered the day before. `skip` steps through the others
    when the person asks for another, still avoiding yesterday's.
    """
    today = _daily_index(user, local_date)
    if skip == 0:
        return PROMPTS[today]
    yesterday = _daily_index(user, date.fromordinal(local_date.toordinal() - 1))
    others = [
        (today + offset) % len(PROMPTS)
        for offset in range(1, len(PROMPTS))
        if (today + offset) % len(PROMPTS) != yesterday
    ]
    if skip % (len(others) + 1) == 0:
        return PROMPTS[today]
    return PROMPTS[others[skip % (len(others) + 1) - 1]]
