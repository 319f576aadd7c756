"""The queries behind each page `make bench` times: how many, and the slowest one's plan.

Run inside Django (`manage.py shell -c "$(cat bench/queries.py)"`) after bench/seed.py, with
BENCH_TARGETS naming the pages as JSON ({name: [method, path]}; a POST books the slot
BENCH_SLOT, "day,HH:MM"). Each page is asked for twice through Django's test client, the
front desk's login signed in for admin pages, and the second time counted, so caches are
as warm as under load. On PostgreSQL the slowest query of each page is explained
(EXPLAIN ANALYZE). Prints JSON: {name: {"queries": n, "slowest_ms": t, "plan": [...]}}.
"""

import json
import os
import re
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

targets = json.loads(os.environ["BENCH_TARGETS"])
host = settings.ALLOWED_HOSTS[0]
patient, desk = Client(HTTP_HOST=host), Client(HTTP_HOST=host)
desk.force_login(get_user_model().objects.get(username="bench-desk"))
slot_day, slot_time = os.environ["BENCH_SLOT"].split(",")


def booking_post() -> dict:
    form = patient.get(f"/book/?date={slot_day}").content.decode()
    started = re.search(r'name="started" value="([^"]*)"', form).group(1)
    return {
        "action": "request", "date": slot_day, "time": slot_time, "reason": "other",
        "first_name": "Bench", "last_name": "Patient", "email": "bench@example.com",
        "phone": "(202) 555-0143", "patient_type": "returning", "consent": "on",
        "website": "", "started": started,
    }  # fmt: skip


def slowest(queries: list[dict]) -> tuple[float, list[str]]:
    """The slowest SELECT again, explained, where the database can say how it ran it."""
    selects = [query for query in queries if query["sql"].lstrip().startswith("SELECT")]
    if not selects or connection.vendor != "postgresql":
        return 0.0, []
    timed = []
    with connection.cursor() as cursor:
        for query in selects:
            began = time.perf_counter()
            cursor.execute(query["sql"])
            timed.append((time.perf_counter() - began, query["sql"]))
        seconds, sql = max(timed)
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)
        return seconds * 1000, [sql[:300], *(row[0] for row in cursor.fetchall())]


report = {}
for name, (method, path) in targets.items():
    client = desk if path.startswith("/" + settings.ADMIN_PATH) else patient
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as captured:
            if method == "POST":
                data = booking_post()
                captured.initial_queries = len(connection.queries_log)  # count the POST only
                answer = client.post(path, data)
            else:
                answer = client.get(path)
    assert answer.status_code in (200, 302), (name, answer.status_code)  # noqa: S101
    milliseconds, plan = slowest(captured.captured_queries)
    report[name] = {"queries": len(captured), "slowest_ms": milliseconds, "plan": plan}
print(json.dumps(report))
