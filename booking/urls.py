from django.urls import path

from booking import change_views, course_pages, feed_views, views

app_name = "booking"

urlpatterns = [
    path("book/", views.request_appointment, name="request"),
    path("book/times/", views.free_times, name="times"),
    path("book/requested/", views.request_received, name="requested"),
    path("appointments/<str:token>/", views.manage, name="manage"),
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
