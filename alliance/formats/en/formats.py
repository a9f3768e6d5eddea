"""How the staff pages write dates and times (issue 18, D21; docs/design-system.md).

One format, day before month with the month as a word, so no date reads two ways
("4/12" is 4 December in Auckland and 12 April in Los Angeles):

- a date: ``4 Dec 2026`` (``j M Y``); with its weekday: ``Fri 4 Dec 2026`` (``D j M Y``);
- a date in a list of this year's sessions: ``Fri 4 Dec`` (``D j M``, SHORT_DATE_FORMAT);
- a time: ``18:30`` (24-hour, as the programs' attendance policies are written);
- a date and time: ``4 Dec 2026, 18:30``.

Letters and documents to courts and agencies keep the month in full ("4 December 2026"):
correspondence, not the working screens.
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "D j M"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "D j M, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
FIRST_DAY_OF_WEEK = 1
