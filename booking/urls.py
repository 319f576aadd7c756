from django.urls import path

from booking import change_views, feed_views, safety_views, views

app_name = "booking"

urlpatterns = [
    path("book/", views.request_appointment, name="request"),
    path("book/check/", safety_views.safety_check, name="check"),
    path("book/times/", views.free_times, name="times"),
    path("book/requested/", views.request_received, name="requested"),
    path("appointments/<str:token>/", views.manage, name="manage"),
    path("appointments/<str:token>/cancel/", views.cancel, name="cancel"),
    path("appointments/<str:token>/change/", change_views.change, name="change"),
    path("appointments/<str:token>/calendar.ics", views.calendar_file, name="calendar"),
    path("calendar/<str:token>.ics", feed_views.calendar_feed, name="calendar_feed"),
]
