"""The front desk's day and week calendar in the admin: the right blocks in the right
columns, free times that start a prefilled staff booking, filters, the status steps, the
query budgets, and who may see it."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from booking.models import Status, TimeOff
from booking.tests.factories import AppointmentRequestFactory, at
from booking.tests.patient_diary import three_practitioners
from clinic.models import OpeningHours
from clinic.roles import FRONT_DESK

pytestmark = pytest.mark.django_db

DAY_URL = reverse("admin:booking_appointmentrequest_day")
WEEK_URL = reverse("admin:booking_appointmentrequest_week")
BOOK_URL = reverse("admin:booking_appointmentrequest_book")


@pytest.fixture
def clinic(open_every_day):
    """9:00–17:00 every day on an hour's grid; Ana and Ben give first visits and follow-ups,
    Cleo follow-ups only."""
    return three_practitioners()


@pytest.fixture
def desk(client, django_user_model):
    user = django_user_model.objects.create_user("desk", is_staff=True)
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    client.force_login(user)
    return client


@pytest.fixture
def day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=2)


def visit(practitioner, treatment, start, minutes=60, **fields):
    return AppointmentRequestFactory(
        status=fields.pop("status", Status.CONFIRMED),
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=minutes),
        practitioner=practitioner,
        treatment_type=treatment,
        **fields,
    )


def forty_visits(clinic, day):
    """40 visits of half an hour across the three practitioners' day."""
    people = [clinic.ana, clinic.ben, clinic.cleo]
    for number in range(40):
        start = at(day, "9:00") + datetime.timedelta(minutes=30 * (number // 3))
        visit(people[number % 3], clinic.follow_up, start, minutes=30, first_name=f"P{number}")


def block_cell(plan, reference: str) -> tuple[int, int, object]:
    """(row, column) of the cell holding a visit, and the cell."""
    for row_index, row in enumerate(plan.rows):
        for column_index, cell in enumerate(row.cells):
            if cell and any(v.reference == reference for v in cell.visits):
                return row_index, column_index, cell
    raise AssertionError(f"{reference} is not on the calendar")


def test_the_day_shows_each_visit_in_its_column_and_rows_with_its_status(clinic, desk, day):
    ana = visit(clinic.ana, clinic.first_visit, at(day, "10:00"), first_name="Maria")
    ben = visit(clinic.ben, clinic.follow_up, at(day, "13:00"), minutes=120,
                status=Status.REQUESTED, is_overbooked=True)  # fmt: skip

    response = desk.get(DAY_URL, {"date": day.isoformat()})

    assert response.status_code == 200
    plan = response.context["plan"]
    assert block_cell(plan, ana.reference)[:2] == (1, 0)
    row, column, cell = block_cell(plan, ben.reference)
    assert (row, column, cell.rowspan) == (4, 1, 2)
    page = response.content.decode()
    assert "status-confirmed" in page and "status-requested" in page
    assert "Waiting for confirmation" in page and "Overbooked" in page
    assert "Maria Lopez" in page and "First visit" in page
    assert f'href="{reverse("admin:booking_appointmentrequest_change", args=[ana.pk])}"' in page
    assert '<th scope="col" class="cal-column">' in page and '<th scope="row"' in page


def test_a_part_day_off_is_shaded_in_the_page(clinic, desk, day):
    TimeOff.objects.create(
        diary=clinic.cleo.diary, first_day=day, from_time=datetime.time(12),
        until_time=datetime.time(15),
    )  # fmt: skip

    page = desk.get(DAY_URL, {"date": day.isoformat()}).content.decode()

    assert re.search(r'<td class="cal-off cal-time-off" rowspan="3">Time off</td>', page)


def test_a_free_time_links_to_a_booking_with_practitioner_day_and_time(clinic, desk, day):
    response = desk.get(DAY_URL, {"date": day.isoformat()})

    cleo_at_nine = response.context["plan"].rows[0].cells[2]
    assert cleo_at_nine.kind == "free"
    links = re.findall(
        r'href="(/admin/booking/appointmentrequest/book/\?[^"]+)"', response.content.decode()
    )
    assert len(links) == 3 * 8
    first = links[2].replace("&amp;", "&")
    assert f"practitioner={clinic.cleo.pk}" in first and f"day={day.isoformat()}" in first

    booking_page = desk.get(first)

    page = booking_page.content.decode()
    treatments = re.search(r'<select name="treatment".*?</select>', page, re.S).group(0)
    assert "Follow-up" in treatments and "First visit" not in treatments  # what Cleo offers
    assert re.search(rf'<option value="{clinic.cleo.pk}" selected>', page)
    nine = at(day, "9:00").astimezone(datetime.UTC).isoformat()
    assert re.search(rf'value="{re.escape(nine)}"[^>]*checked', page)
    assert 'name="first_name"' in page and "errornote" not in page


def test_the_booking_page_takes_a_time_typed_as_hours_and_minutes(clinic, desk, day):
    page = desk.get(
        BOOK_URL, {"practitioner": clinic.ana.pk, "day": day.isoformat(), "time": "14:00"}
    ).content.decode()

    two = at(day, "14:00").astimezone(datetime.UTC).isoformat()
    assert re.search(rf'value="{re.escape(two)}"[^>]*checked', page)


def test_a_free_time_only_a_shorter_treatment_fits_starts_with_that_treatment(clinic, desk, day):
    """At 16:00 Ana has an hour left: a 90-minute first visit does not fit, the follow-up
    does, so the booking started from that free time chooses the follow-up and its time."""
    clinic.first_visit.minutes = 90
    clinic.first_visit.save()

    page = desk.get(
        BOOK_URL, {"practitioner": clinic.ana.pk, "day": day.isoformat(), "time": "16:00"}
    ).content.decode()

    assert re.search(rf'<option value="{clinic.follow_up.pk}" selected>', page)
    four = at(day, "16:00").astimezone(datetime.UTC).isoformat()
    assert re.search(rf'value="{re.escape(four)}"[^>]*checked', page)


def test_a_prefilled_booking_is_booked_with_the_time_staff_chose(clinic, desk, day):
    query = f"?practitioner={clinic.ben.pk}&day={day.isoformat()}&time=11:00"
    eleven = at(day, "11:00").astimezone(datetime.UTC).isoformat()
    form = {
        "treatment": clinic.follow_up.pk, "practitioner": clinic.ben.pk, "day": day.isoformat(),
        "time": eleven, "first_name": "Maria", "last_name": "Lopez", "phone": "(202) 555-0143",
        "patient_type": "returning", "consent": "on", "book": "Book the visit",
    }  # fmt: skip

    response = desk.post(BOOK_URL + query, form)

    assert response.status_code == 302
    booked = clinic.ben.appointments.get()
    assert (booked.starts_at, booked.treatment_type) == (at(day, "11:00"), clinic.follow_up)


def test_cancelled_visits_show_only_when_the_status_filter_asks(clinic, desk, day):
    gone = visit(clinic.ana, clinic.follow_up, at(day, "10:00"), status=Status.CANCELLED)

    default = desk.get(DAY_URL, {"date": day.isoformat()}).content.decode()
    asked = desk.get(DAY_URL, {"date": day.isoformat(), "status": "cancelled"}).content.decode()

    assert gone.reference not in default
    assert gone.reference in asked and "status-cancelled" in asked


def test_the_practitioner_filter_keeps_one_column(clinic, desk, day):
    response = desk.get(DAY_URL, {"date": day.isoformat(), "practitioner": clinic.ben.pk})

    assert [c.name for c in response.context["plan"].columns] == ["Ben Okafor"]


def test_wrong_filters_fall_back_to_today_and_everyone(clinic, desk):
    response = desk.get(DAY_URL, {"date": "tomorrow", "practitioner": "x", "status": "gone"})

    assert response.status_code == 200
    assert response.context["plan"].day == timezone.localdate()
    assert len(response.context["plan"].columns) == 3


def test_a_visit_offers_its_one_click_steps_back_to_the_calendar(clinic, desk, day):
    waiting = visit(clinic.ana, clinic.follow_up, at(day, "10:00"), status=Status.REQUESTED)
    url = f"{DAY_URL}?date={day.isoformat()}"

    page = desk.get(url).content.decode()

    confirm = reverse("admin:booking_appointmentrequest_confirm", args=[waiting.pk])
    assert f'<form method="post" action="{confirm}">' in page
    assert f'name="next" value="{url}"' in page
    decline = reverse("admin:booking_appointmentrequest_decline", args=[waiting.pk])
    assert decline not in page  # it writes to the patient: from the visit's page


def test_navigation_moves_by_a_day_or_a_week_keeping_the_filters(clinic, desk, day):
    page = desk.get(DAY_URL, {"date": day.isoformat(), "practitioner": clinic.ana.pk})
    week = desk.get(WEEK_URL, {"date": day.isoformat()})

    following = (day + datetime.timedelta(days=1)).isoformat()
    assert f"?date={following}&amp;practitioner={clinic.ana.pk}" in page.content.decode()
    monday = day - datetime.timedelta(days=day.weekday())
    assert week.context["day"] == monday
    assert f"?date={(monday + datetime.timedelta(days=7)).isoformat()}" in week.content.decode()


def test_the_day_view_costs_six_queries_for_forty_visits(
    clinic, desk, day, django_assert_max_num_queries
):
    forty_visits(clinic, day)

    with django_assert_max_num_queries(6):
        response = desk.get(DAY_URL, {"date": day.isoformat()})

    assert response.content.decode().count('class="cal-visit ') == 40


def test_the_week_views_cost_eight_queries(clinic, desk, day, django_assert_max_num_queries):
    forty_visits(clinic, day)

    with django_assert_max_num_queries(8):
        everyone = desk.get(WEEK_URL, {"date": day.isoformat()})
    with django_assert_max_num_queries(8):
        one = desk.get(WEEK_URL, {"date": day.isoformat(), "practitioner": clinic.ana.pk})

    assert everyone.content.decode().count('class="cal-line ') == 40
    assert one.content.decode().count('class="cal-visit ') == 14


def test_one_practitioners_week_links_each_day_to_its_day_view(clinic, desk, day):
    visit(clinic.ana, clinic.follow_up, at(day, "10:00"))

    response = desk.get(WEEK_URL, {"date": day.isoformat(), "practitioner": clinic.ana.pk})

    week = response.context["week"]
    assert week.column.name == "Ana Diaz" and len(week.days) == 7
    page = response.content.decode()
    assert f"{DAY_URL}?date={day.isoformat()}&amp;practitioner={clinic.ana.pk}" in page


def test_the_calendar_is_linked_from_the_start_page_and_the_request_list(clinic, desk):
    start_page = desk.get(reverse("admin:index")).content.decode()
    requests_list = desk.get(reverse("admin:booking_appointmentrequest_changelist")).content

    for page in (start_page, requests_list.decode()):
        assert f'href="{DAY_URL}"' in page and f'href="{WEEK_URL}"' in page


def test_content_editors_and_visitors_cannot_see_the_calendar(clinic, client, editor_client):
    assert editor_client.get(DAY_URL).status_code == 403
    assert editor_client.get(WEEK_URL).status_code == 403
    client.logout()
    assert client.get(DAY_URL).status_code == 302


def test_today_marks_the_row_of_the_current_time(clinic, desk):
    now = timezone.localtime()
    if now.time() >= datetime.time(23, 58):
        pytest.skip("the clinic of this test closes at 23:59")
    OpeningHours.objects.filter(weekday=now.weekday()).update(
        opens=datetime.time(0), closes=datetime.time(23, 59)
    )

    page = desk.get(DAY_URL).content.decode()

    assert page.count('<tr class="cal-now"') == 1
    marked = page.split('<tr class="cal-now"')[1].split("</th>")[0]
    assert '<span class="cal-now-word">Now </span>' in marked
    assert f"{now:%-I}:00" in marked  # the grid is an hour
