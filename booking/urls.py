from django.urls import path

from booking import (
    change_views,
    course_pages,
    feed_views,
    returning_views,
    safety_views,
    views,
    waitlist_views,
)

app_name = "booking"

urlpatterns = [
    path("book/", views.request_appointment, name="request"),
    path("book/check/", safety_views.safety_check, name="check"),
    path("book/times/", views.free_times, name="times"),
    path("book/requested/", views.request_received, name="requested"),
    path("book/link/", returning_views.sign_in_link_ask, name="sign_in_ask"),
    path("book/link-sent/", returning_views.sign_in_link_sent, name="sign_in_sent"),
    path("book/link/<str:token>/", returning_views.sign_in, name="sign_in"),
    path("book/yours/", returning_views.returning_page, name="returning_page"),
    path("book/waiting-list/", waitlist_views.waitlist_join, name="waitlist_join"),
    path("book/waiting-list/thanks/", waitlist_views.waitlist_joined, name="waitlist_joined"),
    path(
        "book/waiting-list/<str:reference>/<str:token>/",
        waitlist_views.waitlist_entry,
        name="waitlist_entry",
    ),
    path("appointments/<str:token>/", views.manage, name="manage"),
    path("appointments/<str:token>/offer/", waitlist_views.waitlist_offer, name="waitlist_offer"),
    path("appointments/<str:token>/cancel/", views.cancel, name="cancel"),
    path("appointments/<str:token>/change/", change_views.change, name="change"),
    path("appointments/<str:token>/calendar.ics", views.calendar_file, name="calendar"),
    path(
        "appointments/<str:token>/course/cancel/",
        course_pages.cancel_remaining,
        name="course_cancel",
    ),
    path(
        "appointments/<str:token>/course/calendar.ics",
        course_pages.calendar_file,
        name="course_calendar",
    ),
    path("calendar/<str:token>.ics", feed_views.calendar_feed, name="calendar_feed"),
]
