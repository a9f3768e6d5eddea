"""The built-in practice library, written for Alliance.

Each practice is short enough to do at a kitchen table or in a parked car. Steps are one per
line. ``session`` is the curriculum session number that introduces it; agencies whose
curriculum differs edit their own copy (see ``services.save_practice``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuiltInPractice:
    slug: str
    title: str
    purpose: str
    steps: tuple[str, ...]
    script: str
    minutes: int
    session: int


LIBRARY: tuple[BuiltInPractice, ...] = (
    BuiltInPractice(
        "steady-breath",
        "Steady breathing",
        "Slow the body down so the thinking part of you can come back online.",
        (
            "Sit with both feet on the floor.",
            "Breathe in through the nose for a count of four.",
            "Breathe out slowly for a count of six, a little longer than the in-breath.",
            "Let the shoulders drop on each out-breath.",
            "Keep going until the timer ends; if your mind wanders, come back to the count.",
        ),
        "Find a place to sit. Let your feet rest flat. Breathe in... two, three, four. "
        "And out, slowly... two, three, four, five, six. Nothing to fix right now. "
        "Each time you breathe out, let your shoulders fall a little. If thoughts come, "
        "notice them, and go back to counting. In... and out.",
        5,
        1,
    ),
    BuiltInPractice(
        "feet-on-the-ground",
        "Feet on the ground",
        "A quick way to settle when anger or panic starts to climb.",
        (
            "Press your feet into the floor and notice the pressure.",
            "Name five things you can see.",
            "Name three things you can hear.",
            "Feel the weight of your body on the chair.",
            "Say to yourself: I am here, I can choose what I do next.",
        ),
        "Push your feet down into the floor. Feel it hold you. Look around and name five "
        "things you can see, out loud or quietly. Now three sounds. Notice the chair under "
        "you. Tell yourself: I am here. I can choose what I do next.",
        3,
        2,
    ),
    BuiltInPractice(
        "anger-early-signs",
        "Catching the first signs",
        "Learn your own early warning signs so you can step back before you act.",
        (
            "Recall a recent time you felt irritation rising (not the worst time).",
            "Notice where it showed up first: jaw, chest, hands, face, voice.",
            "Give the sign a short name.",
            "Plan one thing you will do the next time that sign appears.",
        ),
        "Think of a recent moment when you began to feel irritated. Not your worst moment, "
        "just a small one. Where in your body did it start? Maybe your jaw tightened, your "
        "chest got hot, your hands closed. Give that sign a name. Now picture it showing up "
        "next week, and see yourself doing one thing differently: breathing, stepping out, "
        "speaking more slowly.",
        8,
        3,
    ),
    BuiltInPractice(
        "time-out",
        "Taking a respectful time-out",
        "Leave a heated moment safely and come back to it, without walking out on it.",
        (
            "Agree your words in advance, such as 'I need twenty minutes; I will come back'.",
            "When you notice your warning signs, say the words calmly and leave the room.",
            "Do not drive, drink or rehearse the argument; walk or breathe instead.",
            "Come back at the time you said and ask if it is a good moment to talk.",
        ),
        "Imagine the argument starting to heat up. You notice your sign. You say your words: "
        "I need some time; I will come back. You leave without slamming anything. Outside, "
        "breathe slowly. You are not winning or losing; you are keeping everyone safe. When "
        "the time is up, you return and ask whether now is a good time.",
        10,
        4,
    ),
    BuiltInPractice(
        "compassionate-self",
        "Becoming the compassionate self",
        "Practise stepping into the part of you that is strong, wise and wants to help.",
        (
            "Breathe slowly for a minute.",
            "Imagine yourself at your most steady, wise and kind.",
            "Notice your posture, your voice and your face as that person.",
            "Ask: what would this version of me do today?",
        ),
        "Let your breathing slow. Now imagine the version of you who is calm, strong and "
        "caring: someone who does not need to win, who can take responsibility. How does he "
        "sit? How does he speak? Let your face soften the way his would. Ask him: what would "
        "you do today? Listen to the answer.",
        10,
        5,
    ),
    BuiltInPractice(
        "kind-voice",
        "A kinder inner voice",
        "Replace harsh self-talk that fuels shame with a voice that supports change.",
        (
            "Write down one harsh thing you said to yourself this week.",
            "Notice how your body reacts to reading it.",
            "Write what a good coach or friend would say instead, honest but on your side.",
            "Read the new words twice, slowly.",
        ),
        "Think of something harsh you told yourself this week. Notice what it does to your "
        "body. Shame tends to make us hide or attack. Now imagine a coach who believes in "
        "you. He is honest about what went wrong and he is on your side. What would he say? "
        "Say those words to yourself, slowly, twice.",
        8,
        6,
    ),
    BuiltInPractice(
        "partner-experience",
        "Her side of the room",
        "Build understanding of how your behaviour feels to your partner.",
        (
            "Pick a moment of conflict you remember clearly.",
            "Picture the room from where she was standing.",
            "Ask: what did she see, hear and fear at that moment?",
            "Notice any urge to defend yourself and set it aside for now.",
            "Write one sentence about what it may have been like for her.",
        ),
        "Bring to mind a moment of conflict. Now move, in your mind, to where she stood. "
        "What did she see when she looked at you? How loud was your voice from there? What "
        "might she have been afraid would happen next? If you notice yourself wanting to "
        "explain or defend, let that wait. Just stay with her side for a moment.",
        12,
        8,
    ),
    BuiltInPractice(
        "child-experience",
        "Through a child's eyes",
        "Understand what children take in when there is fear at home.",
        (
            "Think of a child who was near when there was shouting or fear at home.",
            "Imagine their height, what they could hear from their room or the doorway.",
            "Ask: what did they need from the adults in that moment?",
            "Decide one way you can help a child feel safe this week.",
        ),
        "Think of a child who was nearby when things were tense. Make yourself their size in "
        "your imagination. The adults are very big and very loud from down here. What could "
        "they hear? What were they hoping someone would do? Hold that for a moment. Now "
        "think of one small thing you can do this week so that a child feels safe with you.",
        10,
        9,
    ),
    BuiltInPractice(
        "perspective-taking",
        "Two stories of one event",
        "Practise seeing the same event from another person's point of view.",
        (
            "Write three lines describing a recent disagreement in your own words.",
            "Write three lines describing it as the other person would.",
            "Underline where the two stories differ.",
            "Choose one thing in their story you can accept as true.",
        ),
        "Think of a recent disagreement. First, tell it as you remember it. Now tell it as "
        "the other person would, in their words, with their worries. Where do the two "
        "stories part ways? Find one thing in their story that you can accept as true, even "
        "if it is uncomfortable.",
        12,
        11,
    ),
    BuiltInPractice(
        "owning-it",
        "Naming what I did",
        "Describe your own behaviour plainly, without minimising, denying or blaming.",
        (
            "Describe one thing you did, using 'I' and an action verb.",
            "Remove words that shrink it ('just', 'only', 'a bit').",
            "Remove reasons that point at someone else ('because she...').",
            "Read the plain sentence and notice how it feels to own it.",
        ),
        "Think of something you did that hurt someone. Say it in one sentence starting with "
        "I. Now listen for small words like just or only, and take them out. Listen for "
        "because she or because he, and take that out too. What is left is yours. Owning it "
        "is hard, and it is the start of being someone people can trust.",
        10,
        13,
    ),
    BuiltInPractice(
        "repair-plan",
        "Planning a repair",
        "Plan a step that makes things better for the person harmed, on their terms.",
        (
            "Name who was affected and how.",
            "Think about what would help them, not what would make you feel better.",
            "Check that contact is allowed and wanted; if not, pick a repair that needs none.",
            "Write one concrete step and when you will do it.",
            "Discuss the plan with your facilitator before acting on it.",
        ),
        "Think of someone affected by what you did. What would actually help them? Not an "
        "apology that asks them to forgive you, but something that makes their life a little "
        "safer or easier. Remember that repair must respect any order or her wishes; some "
        "repair needs no contact at all, like keeping every commitment to the children. "
        "Choose one step and when you will take it.",
        15,
        15,
    ),
    BuiltInPractice(
        "gratitude-connection",
        "Noticing connection",
        "Strengthen the sense of being connected to others, which makes violence less likely.",
        (
            "Recall three moments this week when someone was kind or helpful to you.",
            "For each, notice what it felt like in your body.",
            "Recall one moment when you were kind or helpful to someone else.",
            "Decide how you will pass on one kindness tomorrow.",
        ),
        "Bring to mind three moments this week when someone did something kind for you, "
        "however small. Stay with each one for a few breaths. Now recall a moment when you "
        "helped someone. Notice how that felt. Tomorrow, pass one kindness on.",
        7,
        17,
    ),
    BuiltInPractice(
        "loving-kindness",
        "Wishing well",
        "Train the wish for others, and yourself, to be safe and well.",
        (
            "Breathe slowly for a minute.",
            "Silently wish yourself: may I be safe, may I be steady, may I act with care.",
            "Bring to mind someone you care about and wish them the same.",
            "Bring to mind someone you find difficult and, if you can, wish them the same.",
        ),
        "Breathe slowly. Say to yourself: may I be safe. May I be steady. May I act with care. "
        "Now picture someone you love, and wish them the same: may you be safe, may you be "
        "well. Now someone you find hard. If you can, offer the same wish. If you can't yet, "
        "that's all right; notice that too.",
        10,
        19,
    ),
    # Connection practices (docs/connection.md): homework that grows his support network.
    BuiltInPractice(
        "reach-out",
        "Reach out to one supportive person",
        "Make contact with someone who backs the changes you are making, so you are not doing "
        "this alone.",
        (
            "Think of one person who supports the changes you are making (not someone you "
            "drink or argue with).",
            "Choose how to reach them this week: a call, a message, a visit or a coffee.",
            "Tell them one true thing about how your week is going.",
            "Afterwards, notice how you feel and note it in your log.",
        ),
        "Bring to mind the people in your life who want good things for you and for the "
        "people around you. Pick one. Picture calling or meeting them this week. What would "
        "you say? It can be small: how your week went, one thing you are working on. Reaching "
        "out is not weakness; it is how strong people stay steady.",
        10,
        7,
    ),
    BuiltInPractice(
        "moment-of-connection",
        "Notice a moment of connection",
        "Train your attention to catch the small moments when you feel part of something.",
        (
            "Once a day, stop and look for a moment of connection: a greeting, a shared "
            "laugh, a job done together.",
            "Stay with it for three slow breaths.",
            "Name what made it feel connected.",
            "Write one line about it before you go to sleep.",
        ),
        "Somewhere in today there was a moment when you felt, even a little, part of "
        "something: a nod from a neighbour, a joke at work, a child's hand. Find it. Breathe "
        "slowly three times and let it be there. What made it feel that way? Say it to "
        "yourself, and write one line about it tonight.",
        5,
        10,
    ),
    BuiltInPractice(
        "show-up",
        "Show up somewhere you belong",
        "Spend time with people in a safe, pro-social place: a club, a team, a faith or "
        "recovery group.",
        (
            "List two or three places where people meet and do something good together.",
            "Pick one you can get to this week.",
            "Go, and stay for the whole time, even if it feels awkward.",
            "Talk with at least one person there.",
            "Afterwards, write what it was like and whether you will go back.",
        ),
        "Think of places where people gather to do something worthwhile: a gym, a sports "
        "team, a church or mosque, a recovery meeting, a volunteer crew. Choose one. Picture "
        "yourself walking in. It may feel awkward, and that is normal. Stay, say hello to one "
        "person, and notice that you are welcome there.",
        60,
        12,
    ),
)
