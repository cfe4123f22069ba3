"""The emotion vocabulary for "name it to tame it", shipped as data.

Each word sits on two axes, both from -5 to 5 and never 0: how pleasant the
feeling is, and how much energy it carries. The signs give the four
quadrants. The placements are our own rough judgement, meant to help a person
find a word, not to define the feeling.

Migrations load this list with `sync_vocabulary`. Each word also has a
one-line meaning (MEANINGS), shown beside it in the picker. To add or move a word,
change the list and add a data migration that calls `sync_vocabulary` again.
"""

# (word, pleasantness, energy)
WORDS: tuple[tuple[str, int, int], ...] = (
    # High energy, unpleasant
    ("enraged", -5, 5),
    ("furious", -5, 5),
    ("panicked", -5, 5),
    ("terrified", -5, 5),
    ("livid", -5, 4),
    ("humiliated", -5, 3),
    ("frightened", -4, 4),
    ("scared", -4, 4),
    ("angry", -4, 4),
    ("overwhelmed", -4, 4),
    ("resentful", -4, 3),
    ("alarmed", -3, 5),
    ("shocked", -3, 5),
    ("anxious", -3, 4),
    ("stressed", -3, 4),
    ("agitated", -3, 4),
    ("frustrated", -3, 3),
    ("worried", -3, 3),
    ("jealous", -3, 3),
    ("defensive", -3, 3),
    ("pressured", -3, 3),
    ("embarrassed", -3, 2),
    ("jittery", -2, 4),
    ("irritated", -2, 3),
    ("tense", -2, 3),
    ("restless", -2, 3),
    ("nervous", -2, 3),
    ("impatient", -2, 3),
    ("annoyed", -2, 2),
    ("uneasy", -2, 2),
    # High energy, pleasant
    ("ecstatic", 5, 5),
    ("elated", 5, 5),
    ("thrilled", 5, 4),
    ("joyful", 5, 4),
    ("exhilarated", 4, 5),
    ("excited", 4, 4),
    ("enthusiastic", 4, 4),
    ("passionate", 4, 4),
    ("inspired", 4, 3),
    ("delighted", 4, 3),
    ("proud", 4, 3),
    ("awed", 4, 3),
    ("happy", 4, 2),
    ("giddy", 3, 5),
    ("energized", 3, 5),
    ("motivated", 3, 4),
    ("eager", 3, 4),
    ("lively", 3, 4),
    ("cheerful", 3, 3),
    ("playful", 3, 3),
    ("brave", 3, 3),
    ("amused", 3, 2),
    ("optimistic", 3, 2),
    ("confident", 3, 2),
    ("upbeat", 3, 2),
    ("hopeful", 3, 1),
    ("surprised", 2, 4),
    ("determined", 2, 4),
    ("focused", 2, 3),
    ("curious", 2, 2),
    # Low energy, unpleasant
    ("hopeless", -5, -4),
    ("despairing", -5, -3),
    ("heartbroken", -5, -2),
    ("helpless", -4, -3),
    ("miserable", -4, -3),
    ("burnt-out", -4, -5),
    ("ashamed", -4, -2),
    ("hurt", -4, -1),
    ("exhausted", -3, -5),
    ("drained", -3, -4),
    ("empty", -3, -4),
    ("discouraged", -3, -3),
    ("down", -3, -3),
    ("gloomy", -3, -3),
    ("disconnected", -3, -3),
    ("sad", -3, -2),
    ("lonely", -3, -2),
    ("disappointed", -3, -2),
    ("regretful", -3, -2),
    ("excluded", -3, -2),
    ("guilty", -3, -1),
    ("numb", -2, -5),
    ("apathetic", -2, -4),
    ("listless", -2, -4),
    ("weary", -2, -4),
    ("tired", -2, -3),
    ("bored", -2, -3),
    ("withdrawn", -2, -3),
    ("glum", -2, -3),
    ("homesick", -2, -2),
    ("sluggish", -1, -4),
    # Low energy, pleasant
    ("serene", 4, -4),
    ("tranquil", 4, -4),
    ("peaceful", 4, -3),
    ("grateful", 4, -1),
    ("thankful", 4, -1),
    ("loving", 4, -1),
    ("fulfilled", 4, -1),
    ("connected", 4, -1),
    ("cozy", 3, -4),
    ("relaxed", 3, -3),
    ("comfortable", 3, -3),
    ("rested", 3, -3),
    ("soothed", 3, -3),
    ("calm", 3, -2),
    ("content", 3, -2),
    ("safe", 3, -2),
    ("secure", 3, -2),
    ("balanced", 3, -2),
    ("tender", 3, -2),
    ("carefree", 3, -2),
    ("grounded", 3, -2),
    ("relieved", 3, -2),
    ("satisfied", 3, -1),
    ("accepted", 3, -1),
    ("understood", 3, -1),
    ("mellow", 2, -3),
    ("settled", 2, -2),
    ("reflective", 2, -2),
    ("easygoing", 2, -2),
    ("sleepy", 1, -5),
)


# One line each, in our own words: what the feeling is like from the inside.
MEANINGS: dict[str, str] = {
    # High energy, unpleasant
    "enraged": "anger that takes over",
    "furious": "burning, hard-to-hold anger",
    "panicked": "fear that races out of control",
    "terrified": "fear at its very strongest",
    "livid": "so angry it shows",
    "humiliated": "made small in front of others",
    "frightened": "sensing danger close by",
    "scared": "afraid something bad will happen",
    "angry": "something feels wrong or unfair",
    "overwhelmed": "more than I can hold right now",
    "resentful": "old hurt that keeps stinging",
    "alarmed": "suddenly on guard",
    "shocked": "jolted by the unexpected",
    "anxious": "uneasy about what might come",
    "stressed": "pushed by too many demands",
    "agitated": "stirred up, hard to settle",
    "frustrated": "blocked from what I want",
    "worried": "turning a problem over and over",
    "jealous": "afraid of losing what matters",
    "defensive": "braced to protect myself",
    "pressured": "squeezed to do or be more",
    "embarrassed": "awkward at being seen",
    "jittery": "shaky, buzzing energy",
    "irritated": "small things rub the wrong way",
    "tense": "tight, holding on",
    "restless": "can't sit still",
    "nervous": "fluttery before something",
    "impatient": "wanting it to happen now",
    "annoyed": "mildly bothered",
    "uneasy": "something isn't quite right",
    # High energy, pleasant
    "ecstatic": "overflowing with joy",
    "elated": "lifted high with happiness",
    "thrilled": "a rush of delight",
    "joyful": "deep, bright happiness",
    "exhilarated": "alive with a thrilling rush",
    "excited": "looking forward, full of energy",
    "enthusiastic": "keen and wholehearted",
    "passionate": "strongly drawn to something",
    "inspired": "sparked with new ideas",
    "delighted": "pleased by something lovely",
    "proud": "glad about what I did",
    "awed": "moved by something vast",
    "happy": "things feel good",
    "giddy": "light-headed with fun",
    "energized": "charged up and ready",
    "motivated": "wanting to get going",
    "eager": "keen to begin",
    "lively": "full of spark",
    "cheerful": "bright and in good spirits",
    "playful": "in the mood for fun",
    "brave": "facing something despite fear",
    "amused": "finding something funny",
    "optimistic": "expecting things to go well",
    "confident": "trusting I can do it",
    "upbeat": "in a positive mood",
    "hopeful": "sensing things can get better",
    "surprised": "caught off guard, in a good way",
    "determined": "set on seeing it through",
    "focused": "attention gathered on one thing",
    "curious": "wanting to know more",
    # Low energy, unpleasant
    "hopeless": "can't see a way forward",
    "despairing": "all hope seems gone",
    "heartbroken": "grief over a deep loss",
    "helpless": "unable to change what happens",
    "miserable": "everything feels bad",
    "burnt-out": "used up after too long",
    "ashamed": "feeling bad about who I am",
    "hurt": "wounded by someone or something",
    "exhausted": "nothing left in the tank",
    "drained": "emptied of energy",
    "empty": "a hollow, nothing feeling",
    "discouraged": "losing heart",
    "down": "low in mood",
    "gloomy": "a grey cloud overhead",
    "disconnected": "cut off from others or myself",
    "sad": "a heavy, tender ache",
    "lonely": "wanting closeness that isn't there",
    "disappointed": "it didn't go as hoped",
    "regretful": "wishing I'd done it differently",
    "excluded": "left out",
    "guilty": "I did something I wish I hadn't",
    "numb": "feeling very little at all",
    "apathetic": "nothing seems to matter",
    "listless": "no energy or interest",
    "weary": "tired deep down",
    "tired": "needing rest",
    "bored": "nothing holds my interest",
    "withdrawn": "pulling away from others",
    "glum": "quietly unhappy",
    "homesick": "missing a place or people",
    "sluggish": "slow and heavy",
    # Low energy, pleasant
    "serene": "deeply still and clear",
    "tranquil": "quiet, undisturbed calm",
    "peaceful": "nothing needs to change",
    "grateful": "thankful for what I have",
    "thankful": "glad for a kindness",
    "loving": "warm care for someone",
    "fulfilled": "my needs feel met",
    "connected": "close to others",
    "cozy": "warm, snug and safe",
    "relaxed": "loose, tension gone",
    "comfortable": "at ease where I am",
    "rested": "refreshed after a break",
    "soothed": "comforted, eased",
    "calm": "steady and unhurried",
    "content": "enough, just as it is",
    "safe": "protected, no danger near",
    "secure": "on solid ground",
    "balanced": "steady, not tipping over",
    "tender": "soft and caring",
    "carefree": "no worries weighing on me",
    "grounded": "feet on the floor, present",
    "relieved": "a weight has lifted",
    "satisfied": "pleased with how it went",
    "accepted": "welcome as I am",
    "understood": "someone gets me",
    "mellow": "easy, gentle mood",
    "settled": "at rest inside",
    "reflective": "quietly thinking things over",
    "easygoing": "taking things as they come",
    "sleepy": "ready for sleep",
}


def quadrant_for(pleasantness: int, energy: int) -> str:
    """The quadrant key for a point on the two axes."""
    height = "high" if energy > 0 else "low"
    feel = "pleasant" if pleasantness > 0 else "unpleasant"
    return f"{height}-{feel}"


def sync_vocabulary(emotion_word_model) -> int:
    """Make the vocabulary table match WORDS (and MEANINGS); returns how many rows changed.

    Takes the model as an argument so a migration can pass its historical
    model; models from before meanings existed are synced without them.
    Words no longer listed are kept: past entries may still use them.
    """
    has_meaning = any(f.name == "meaning" for f in emotion_word_model._meta.get_fields())
    fields = ["pleasantness", "energy", "quadrant"] + (["meaning"] if has_meaning else [])
    existing = {word.word: word for word in emotion_word_model.objects.all()}
    to_create, to_update = [], []
    for word, pleasantness, energy in WORDS:
        wanted = {
            "pleasantness": pleasantness,
            "energy": energy,
            "quadrant": quadrant_for(pleasantness, energy),
            "meaning": MEANINGS[word],
        }
        wanted = {field: wanted[field] for field in fields}
        current = existing.get(word)
        if current is None:
            to_create.append(emotion_word_model(word=word, **wanted))
        elif any(getattr(current, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(current, field, value)
            to_update.append(current)
    emotion_word_model.objects.bulk_create(to_create)
    emotion_word_model.objects.bulk_update(to_update, fields)
    return len(to_create) + len(to_update)
