"""Seed the five practices. Their words are ours; edit them later in the admin."""

from django.db import migrations

CATALOG = [
    {
        "slug": "body-scan",
        "name": "Body scan",
        "category": "body",
        "guide": "body_scan",
        "position": 1,
        "duration_choices": [3, 5, 10, 20],
        "default_minutes": 10,
        "summary": "Move your attention slowly through your body, one region at a time, "
        "noticing what is there without judging it.",
        "rationale": (
            "Your body is always sending information about how you are: tension, warmth, "
            "tiredness, ease. Interpersonal neurobiology calls the linking of body and mind "
            "vertical integration, and a body scan is a simple way to practise it: kind, "
            "curious attention, moved from place to place.\n\n"
            "There is nothing to fix and nothing to achieve. If you find tension, numbness or "
            "not much at all, that is simply what is there today. When your mind wanders, "
            "and it will, notice where it went and come back to the next region."
        ),
        "steps": [
            ("feet", "Feet", "Bring your attention to your feet. Notice the soles, the toes, "
             "any warmth or coolness, pressure or tingling. Whatever you find is fine."),
            ("lower-legs", "Ankles and lower legs", "Let your attention move up into your "
             "ankles, shins and calves. Notice where they touch the floor or the chair, and "
             "whether they feel heavy or light."),
            ("knees-thighs", "Knees and thighs", "Move up to your knees, then the long muscles "
             "of your thighs. If there is effort there, see whether it can soften a little."),
            ("hips", "Hips and pelvis", "Notice your hips and the base of your body, the weight "
             "of you being held by whatever you are sitting or lying on."),
            ("belly", "Belly and lower back", "Notice your belly rising and falling with each "
             "breath, and the muscles of your lower back. Let the breath move on its own."),
            ("chest", "Chest and upper back", "Bring attention to your chest and upper back. "
             "You might feel your heartbeat or the gentle widening of the ribs as you breathe."),
            ("hands-arms", "Hands and arms", "Move to your hands: the palms, the fingers, the "
             "air on your skin. Then let attention travel up through your wrists and arms."),
            ("shoulders", "Shoulders", "Notice your shoulders. Many of us carry the day here. "
             "If they have crept up towards your ears, you might let them settle."),
            ("neck-throat", "Neck and throat", "Bring your attention to the back of your neck "
             "and to your throat. Notice swallowing, or the breath passing through."),
            ("face", "Face and jaw", "Notice your jaw, your lips, the muscles around your eyes "
             "and your forehead. Let your face be soft, without needing to look any way at all."),
            ("head", "Top of the head", "Let your attention rest on the back and the crown of "
             "your head. Notice any sensation, or simply the sense of space there."),
            ("whole-body", "Your whole body", "Now widen your attention to hold your whole body "
             "at once, breathing and alive. Stay here for a few breaths before you finish."),
        ],
    },
    {
        "slug": "grounding",
        "name": "Grounding 5-4-3-2-1",
        "category": "grounding",
        "guide": "grounding",
        "position": 2,
        "duration_choices": [],
        "default_minutes": None,
        "summary": "Come back to here and now by naming what your senses notice: five, four, "
        "three, two, one.",
        "rationale": (
            "When feelings run high we can drift towards one bank of the river or the other: "
            "chaos, where everything feels racing and too much, or rigidity, where we feel stuck "
            "or shut down. Turning your attention outwards to what your senses notice gives the "
            "mind something concrete and present to hold, and many people find that steadying.\n\n"
            "Go at your own pace. You can write down what you notice or just notice it. If there "
            "is nothing to smell or taste right now, bring to mind one you like."
        ),
        "steps": [
            ("see", "See", "Let your eyes move slowly around you. Notice shapes, colours, light "
             "and shadow, things big and small."),
            ("touch", "Touch", "Notice what you can touch or feel: your feet on the floor, the "
             "seat under you, the texture of your clothes, the air on your skin."),
            ("hear", "Hear", "Listen for sounds near and far: traffic, birds, the hum of a "
             "machine, your own breathing. Let each one come and go."),
            ("smell", "Smell", "Notice any scent around you: soap, coffee, fresh air, fabric. If "
             "nothing comes, think of a smell you like."),
            ("taste", "Taste", "Notice the taste in your mouth right now, or take a sip of "
             "something. If nothing is there, think of a taste you enjoy."),
        ],
    },
    {
        "slug": "breathwork",
        "name": "Breathwork",
        "category": "breath",
        "guide": "breathwork",
        "position": 3,
        "duration_choices": [3, 5, 10],
        "default_minutes": 5,
        "summary": "Breathe along with a shape that grows and shrinks: cyclic sighing, box, "
        "resonance, 4-7-8 or a pattern of your own.",
        "rationale": (
            "Breathing is one of the few automatic rhythms of the body that you can also steer "
            "on purpose. Slowing it down, especially the breath out, is a simple way many people "
            "use to settle, and to work with their window of tolerance: the zone in which you "
            "can think, feel and connect.\n\n"
            "The evidence differs from pattern to pattern, and we say what we know next to each "
            "one. Keep the breath gentle; it doesn't need to be big. If you feel light-headed or "
            "uneasy, go back to breathing normally. You can stop at any time."
        ),
        "steps": [
            ("pacer", "Follow the shape", "Breathe in as the shape grows, breathe out as it "
             "shrinks, and rest when it stays still. Let the breath be soft and easy."),
        ],
    },
    {
        "slug": "wheel-of-awareness",
        "name": "Wheel of Awareness",
        "category": "awareness",
        "guide": "wheel",
        "position": 4,
        "duration_choices": [10, 15, 20],
        "default_minutes": 15,
        "summary": "Dan Siegel's practice: send your attention around the rim of a wheel, "
        "then rest in its hub.",
        "rationale": (
            "Picture a wheel. At its hub is awareness itself, the simple experience of knowing. "
            "On the rim is everything you can be aware of. A spoke of focused attention reaches "
            "from the hub to one part of the rim at a time: the five senses, the inner body, "
            "mental activities such as feelings, thoughts and memories, and your sense of "
            "connection to other people and the world.\n\n"
            "Moving the spoke around the rim, and then resting in the hub, lets you tell apart "
            "the knowing from what is known and link them again, which Siegel calls integrating "
            "consciousness. Afterwards you can jot down what came up as SIFT: sensations, "
            "images, feelings and thoughts."
        ),
        "steps": [
            ("hub", "Find the hub", "Settle into a comfortable position. Picture a wheel: at the "
             "centre is the hub, the part of you that knows. Around the edge is the rim, "
             "everything you could know. Your attention is a spoke that can reach from the hub "
             "to any point on the rim.", 1),
            ("senses", "Rim: the five senses", "Send the spoke to the first part of the rim. "
             "Spend a little while with each sense in turn: hearing, sight, smell, taste and "
             "touch. Let each one fill your awareness, then let it go.", 2),
            ("inner-body", "Rim: the inner body", "Move the spoke to the inside of your body. "
             "Notice muscles and bones, then your belly, your heartbeat, your lungs. Then take in "
             "the whole of the body's interior at once.", 2),
            ("mental-activities", "Rim: mental activities", "Now invite whatever comes into the "
             "mind: feelings, thoughts, memories, images, plans. Notice how each one arrives, "
             "stays for a while and leaves. You may notice gaps between them.", 2),
            ("relational", "Rim: the relational sense", "Let your awareness reach out to your "
             "connections: people close to you, people you live or work near, everyone on this "
             "planet, all living things. You might hold a wish for them, and for yourself too: "
             "may we be safe, healthy and at ease.", 2),
            ("rest", "Rest in the hub", "Let the spoke come back to the hub and rest in "
             "awareness itself, with nothing in particular to attend to. Take a fuller breath, "
             "and when you are ready, gently come back.", 1),
        ],
    },
    {
        "slug": "meditation-timer",
        "name": "Meditation timer",
        "category": "awareness",
        "guide": "timer",
        "position": 5,
        "duration_choices": [5, 10, 15, 20, 30, 45, 60],
        "default_minutes": 10,
        "summary": "A quiet timer with optional interval bells, for sitting in your own way.",
        "rationale": (
            "Sometimes the best guide is none. Choose how long to sit, add a soft bell at "
            "intervals if it helps you come back to the present, and pause or stop whenever "
            "you need to.\n\n"
            "A busy mind is not a failed sitting. Each time you notice you have drifted and "
            "come back, you are practising the pause between what happens and how you respond."
        ),
        "steps": [
            ("sit", "Sit", "Let your attention rest where it feels right: the breath, sounds, or "
             "simply being here. When you notice you have drifted, that noticing is the "
             "practice. Come back gently."),
        ],
    },
]


def seed_catalog(apps, schema_editor):
    Practice = apps.get_model("practices", "Practice")
    PracticeStep = apps.get_model("practices", "PracticeStep")
    for entry in CATALOG:
        fields = {key: value for key, value in entry.items() if key not in ("slug", "steps")}
        practice, _ = Practice.objects.update_or_create(slug=entry["slug"], defaults=fields)
        practice.steps.all().delete()
        for position, step in enumerate(entry["steps"], start=1):
            key, title, cue, *weight = step
            PracticeStep.objects.create(
                practice=practice,
                position=position,
                key=key,
                title=title,
                cue=cue,
                weight=weight[0] if weight else 1,
            )


def remove_catalog(apps, schema_editor):
    Practice = apps.get_model("practices", "Practice")
    Practice.objects.filter(slug__in=[entry["slug"] for entry in CATALOG]).delete()


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(seed_catalog, remove_catalog)]
