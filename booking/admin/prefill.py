"""A staff booking started from the calendar's free time (booking/admin/calendar_pages.py):
the practitioner, the day and the time it came with."""

import dataclasses
import datetime
import functools

from booking.availability import free_times
from booking.schedule import BookingWindow, PractitionerChoice, TreatmentChoice, day_bookings


@dataclasses.dataclass(frozen=True)
class Prefilled:
    """A staff booking started from the calendar's free time: the practitioner, the day and
    the time in the address (?practitioner=3&day=2026-12-03&time=09:00, or the time in ISO
    form with its offset). No patient data ever comes this way."""

    staff_diary: BookingWindow
    practitioner: PractitionerChoice | None = None
    day: datetime.date | None = None
    time: str = ""

    @classmethod
    def read(cls, query, staff_diary: BookingWindow) -> "Prefilled":
        practitioner = staff_diary.diary.practitioner(query.get("practitioner", ""))
        try:
            day = datetime.date.fromisoformat(query.get("day", ""))
        except ValueError:
            day = None
        return cls(staff_diary, practitioner, day, query.get("time", ""))

    @functools.cached_property
    def initial_values(self) -> dict:
        """Step 1's starting values: the day (today unless given), the practitioner, and
        the first treatment they offer that is free at the time given (a free time of the
        calendar may suit only the shorter treatments), else the first they offer."""
        initial = {"day": self.day or self.staff_diary.today}
        if self.practitioner:
            initial["practitioner"] = self.practitioner.id
            offered = [
                t for t in self.staff_diary.diary.treatments if self.practitioner.offers(t.id)
            ]
            chosen = self.free_at_the_time(offered) or offered
            if chosen:
                initial["treatment"] = chosen[0].id
        return initial

    def free_at_the_time(self, offered: list[TreatmentChoice]) -> list[TreatmentChoice]:
        """Those of `offered` the practitioner is free for at the time given: one query."""
        start = self.start_on(self.day) if self.day and offered else ""
        if not start:
            return []
        start = datetime.datetime.fromisoformat(start)
        window = self.staff_diary
        bookings = day_bookings(window.schedule, self.day)
        return [
            choice
            for choice in offered
            if any(
                free.start == start
                for free in free_times(
                    self.day,
                    window.schedule,
                    window.now,
                    bookings,
                    choice.treatment,
                    self.practitioner.id,
                )
            )
        ]

    @property
    def is_complete(self) -> bool:
        """Enough to show the day's free times at once."""
        return self.practitioner is not None and self.day is not None

    def start_on(self, day: datetime.date) -> str:
        """The time given, as the free-time button's value (the moment in UTC), if it falls
        on the day chosen; "" otherwise."""
        tz = self.staff_diary.tz
        try:
            start = datetime.datetime.fromisoformat(self.time)
        except ValueError:
            try:
                start = datetime.datetime.combine(day, datetime.time.fromisoformat(self.time))
            except ValueError:
                return ""
        if start.tzinfo is None:
            start = start.replace(tzinfo=tz)
        if start.astimezone(tz).date() != day:
            return ""
        return start.astimezone(datetime.UTC).isoformat()
