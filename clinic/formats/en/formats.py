"""How the clinic writes dates and times in English (US), for patients and staff alike.

Django's localisation reads these names (`|date:"DATE_FORMAT"`, `|time`, `formats.date_format`);
what is not set here comes from Django's own English formats. Another language gets a module
of its own beside this one (clinic/formats/<language>/formats.py).
"""

DATE_FORMAT = "l, F j, Y"  # Tuesday, December 1, 2026
TIME_FORMAT = "g:i A"  # 2:07 PM
DATETIME_FORMAT = "D, M j, Y, g:i A"  # Tue, Dec 1, 2026, 2:07 PM: one format across the admin
MONTH_DAY_FORMAT = "l, F j"  # Tuesday, December 1
SHORT_DATETIME_FORMAT = "D, M j, g:i A"  # Tue, Dec 1, 2:07 PM
