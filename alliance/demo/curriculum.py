"""Session topics for the demo programs, written for this project."""

FOUNDATIONS = [
    ("Welcome, group agreements and why we are here", True),
    ("Taking responsibility: my part in what happened", True),
    ("Three systems of emotion: threat, drive and soothing", False),
    ("Soothing-rhythm breathing", False),
    ("Noticing anger rising in the body", False),
    ("Grounding when anger rises", True),
    ("The compassionate self: strength, wisdom, commitment", False),
    ("Shame and guilt: what helps change and what blocks it", False),
    ("Controlling behaviours and their effects", True),
    ("Seeing through my partner's eyes", False),
    ("Children who witness: what they carry", True),
    ("Mid-program review: what has changed so far", True),
    ("Jealousy, insecurity and respect", False),
    ("Listening without defending", False),
    ("Alcohol, drugs and responsibility", False),
    ("Fathering with compassion", False),
    ("Repair: what making amends can and cannot do", False),
    ("Stress, work and money pressures", False),
    ("Isolation and connection: building support", False),
    ("Respectful disagreement", False),
    ("Relapse warning signs and my safety plan", True),
    ("Compassion for the man I was", False),
    ("My commitments going forward", False),
    ("Closing circle and completion review", True),
]

OPEN_DOOR = [
    ("Arriving: group agreements and my goals", True),
    ("What violence is and the forms it takes", True),
    ("Threat, drive and soothing", False),
    ("Soothing-rhythm breathing and time-outs", True),
    ("Beliefs that excuse abuse", False),
    ("Minimising, denying and blaming", True),
    ("Effects on partners", False),
    ("Effects on children", True),
    ("Perspective taking", False),
    ("Communication under stress", False),
    ("The compassionate self", False),
    ("Alcohol, drugs and risk", False),
    ("Respect and equality at home", False),
    ("Jealousy and control", False),
    ("Repair and accountability", True),
    ("Fatherhood", False),
    ("Support and connection", False),
    ("Warning signs", False),
    ("My safety plan", True),
    ("Review and next steps", True),
]


def harbour_topics(n: int = 52) -> list[tuple[str, bool]]:
    """A year-long curriculum: the open-door topics in blocks, with quarterly reviews."""
    topics: list[tuple[str, bool]] = []
    for number in range(1, n + 1):
        if number % 13 == 0:
            topics.append(
                (f"Quarter review {number // 13}: progress and accountability plan", True)
            )
        else:
            base, _ = OPEN_DOOR[(number - 1) % len(OPEN_DOOR)]
            topics.append((base, number == 1))
    return topics
