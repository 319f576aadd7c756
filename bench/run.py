"""`make bench`: the site under load, beside the ceiling of a static file from the same app.

Starts gunicorn with production settings (2 sync workers) on a fresh SQLite database, or on
the PostgreSQL database DATABASE_URL names (its tables get bench data: use a throw-away
database), loads the starting content and 2,000 requests, warms up, then measures each
target for BENCH_SECONDS (10) s at 8 connections with wrk: public pages (cached, with and
without compression), the booking form and POSTs, and the front desk's admin pages. A
second pass measures the condition page with the page cache switched off; a third holds
the cached condition page under load for BENCH_SUSTAINED_SECONDS (60) s with the worker
recycling of gunicorn.conf.py as production runs it. Then bench/seed.py grows the data to
50,000 requests (years of them) and the booking and admin pages are measured again, with
their query counts and, on PostgreSQL, their slowest query's plan. Prints the figures and
writes them to docs/benchmarks.md. A full run takes about 5 minutes.

`bench/run.py --data-only` checks the bench's data alone in about a minute, with no load:
it migrates, seeds both data sets and counts each page's queries on each, then prints them.
"""

import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
SUSTAINED_SECONDS = int(os.environ.get("BENCH_SUSTAINED_SECONDS", 60))
CONNECTIONS = 8
COMPRESSED = "br, gzip"
TARGETS = {  # page: (minimum fraction of the static-file rate, maximum p99 in ms or None)
    "home (cached)": (0.8, 10.0),
    "condition page (cached)": (0.8, 10.0),
    "condition page (page cache off)": (0.2, None),
    "booking form for a busy day": (0.1, None),
    "condition page (cached), sustained, production worker recycling": (None, 10.0),
}
SUSTAINED = "condition page (cached), sustained, production worker recycling"
LARGE_DATA_SLOWDOWN = 1.5  # each page on 50,000 requests: at most this much slower
# Two runs of one row differ by a few per cent on this machine: compressed pages count as
# fast as uncompressed ones unless they are slower by more than that.
SAME_RATE_WITHIN = 0.02
STAFF_PASSWORD = secrets.token_urlsafe(16)
ADMIN = os.environ.get("DJANGO_ADMIN_PATH", "admin").strip("/") + "/"
PROFILE_SUMMARY = ROOT / "bench" / "profile-summary.md"  # the uncached pages' profile


@dataclass
class Result:
    name: str
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def main() -> None:
    began = time.monotonic()
    if "--data-only" in sys.argv:
        check_data()
        return
    wrk = find_wrk()
    workdir, database_url, env = prepare_database()
    seed = run_seed(env, "small")
    results: dict[str, Result] = {}
    sizes: dict[str, dict] = {"small": {"seed": seed, "queries": count_queries(env, seed)}}

    with gunicorn(env) as (base, master):
        static = static_url(base)
        condition = f"{base}/conditions/arthritis/"
        for url in (f"{base}/", condition, form_url(base, seed), f"{base}{static}"):
            warm_up(url)
        wire = wire_sizes(condition)
        results["static file (ceiling)"] = measure(wrk, "static file (ceiling)", f"{base}{static}")
        results["home (cached)"] = measure(wrk, "home (cached)", f"{base}/")
        results.update(measure_compressed_beside_uncompressed(wrk, condition))
        sizes["small"]["results"] = measure_changing_pages(wrk, base, seed, workdir)
        results.update(sizes["small"]["results"])
        memory = worker_peak_rss(master)

    with gunicorn({**env, "CLINIC_PAGE_CACHE": "0"}) as (base, master):
        static = static_url(base)
        warm_up(f"{base}/conditions/arthritis/")
        warm_up(f"{base}{static}")
        second_static = measure(wrk, "static file (second pass)", f"{base}{static}")
        uncached = measure(wrk, "condition page (page cache off)", f"{base}/conditions/arthritis/")
        results["condition page (page cache off)"] = uncached
        results["static file (second pass)"] = second_static
        memory = [max(a, b) for a, b in zip(memory, worker_peak_rss(master), strict=False)]

    recycling = {k: v for k, v in env.items() if k != "GUNICORN_MAX_REQUESTS"}
    with gunicorn(recycling) as (base, master):
        warm_up(f"{base}/conditions/arthritis/")
        workers_before = set(worker_pids(master))
        results[SUSTAINED] = measure(
            wrk, SUSTAINED, f"{base}/conditions/arthritis/", seconds=SUSTAINED_SECONDS
        )
        restarts = len(set(worker_pids(master)) - workers_before)

    large = run_seed(env, "large", form_day=seed["form_day"])
    if not database_url.startswith("sqlite"):
        vacuum = ["psql", database_url, "-qc", "VACUUM ANALYZE"]  # fresh statistics
        subprocess.run(vacuum, check=True)  # noqa: S603
    sizes["large"] = {"seed": large, "queries": count_queries(env, seed)}
    with gunicorn(env) as (base, master):
        warm_up(form_url(base, seed))
        sizes["large"]["results"] = measure_changing_pages(wrk, base, seed, workdir)
        large_memory = worker_peak_rss(master)

    minutes = (time.monotonic() - began) / 60
    section = render_section(results, memory, database_url, seed["requests"], wire, restarts)
    section += render_large_data(sizes, large_memory, minutes)
    print("\n" + section)
    write_report(section)
    print("Written to docs/benchmarks.md")
    shutil.rmtree(workdir, ignore_errors=True)


def prepare_database() -> tuple[Path, str, dict]:
    """A work folder, the database (a fresh SQLite file unless DATABASE_URL) migrated, and
    the production environment on it."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = production_env(database_url, workdir)
    print(f"Preparing the database ({database_url.split('@')[-1]}) …", flush=True)
    run_manage(env, "migrate", "--no-input", "-v0")
    return workdir, database_url, env


def check_data() -> None:
    """Both data sets seeded and each changing page asked for on each (no load, no wrk)."""
    workdir, _database_url, env = prepare_database()
    seed = run_seed(env, "small")
    small = count_queries(env, seed)
    large = run_seed(env, "large", form_day=seed["form_day"])
    counts = {
        name: [small[name]["queries"], found["queries"]]
        for name, found in count_queries(env, seed).items()
    }
    summary = {
        "requests": [seed["requests"], large["requests"]],
        "busy_day_requests": [seed["busy_day_requests"], large["busy_day_requests"]],
        "stream_slots": len(seed["slots"]),
        "queries (small, large)": counts,
    }
    print(json.dumps(summary, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)


def run_seed(env: dict, size: str, form_day: str = "") -> dict:
    print(f"Seeding the {size} data set …", flush=True)
    script = (ROOT / "bench" / "seed.py").read_text()
    seeded = {**env, "BENCH_SEED": size, "BENCH_STAFF_PASSWORD": STAFF_PASSWORD}
    seeded["BENCH_FORM_DAY"] = form_day
    return json.loads(run_manage(seeded, "shell", "-v0", "-c", script).strip().splitlines()[-1])


def form_url(base: str, seed: dict) -> str:
    return f"{base}/book/?date={seed['form_day']}"


def changing_pages(seed: dict) -> dict[str, tuple[str, str]]:
    """The pages whose work grows with the data: {name: (method, path)}."""
    local = seed["phone"][2:]  # +1AAAEEELLLL as staff type it: (AAA) EEE-LLLL
    typed = urllib.parse.quote_plus(f"({local[:3]}) {local[3:6]}-{local[6:]}")
    return {
        "booking form for a busy day": ("GET", f"/book/?date={seed['form_day']}"),
        "booking POSTs": ("POST", "/book/"),
        "admin: requests, waiting first": ("GET", f"/{ADMIN}booking/appointmentrequest/"),
        "admin: search by phone": ("GET", f"/{ADMIN}booking/appointmentrequest/?q={typed}"),
        "admin: start page": ("GET", f"/{ADMIN}"),
    }


def measure_compressed_beside_uncompressed(wrk: str, url: str) -> dict[str, Result]:
    """The cached condition page with and without compression, half a row each, twice, in
    the order A B B A: the machine's drift during the rows (it runs wrk too) then weighs on
    both alike and does not decide which is faster."""
    compressed = "condition page (cached)"
    uncompressed = "condition page (cached), uncompressed"
    encodings = {compressed: COMPRESSED, uncompressed: None}
    halves: dict[str, list[Result]] = {compressed: [], uncompressed: []}
    for name in (compressed, uncompressed, uncompressed, compressed):
        halves[name].append(
            measure(wrk, name, url, encoding=encodings[name], seconds=max(1, SECONDS // 2))
        )
    return {name: combined(name, parts) for name, parts in halves.items()}


def combined(name: str, parts: list[Result]) -> Result:
    """Runs of one page taken as one: the mean rate, the worse latencies."""
    return Result(
        name=name,
        rate=sum(part.rate for part in parts) / len(parts),
        p50_ms=max(part.p50_ms for part in parts),
        p99_ms=max(part.p99_ms for part in parts),
        requests=sum(part.requests for part in parts),
        errors=sum(part.errors for part in parts),
    )


def measure_changing_pages(wrk: str, base: str, seed: dict, workdir: Path) -> dict:
    script = booking_script(base, seed, workdir)
    cookie = staff_session(base)
    results = {}
    for name, (method, path) in changing_pages(seed).items():
        if method == "POST":
            results[name] = measure(wrk, name, f"{base}{path}", script)
        elif path.startswith(f"/{ADMIN}"):
            warm_up(f"{base}{path}", times=3, cookie=cookie)
            results[name] = measure(wrk, name, f"{base}{path}", cookie=cookie)
        else:
            results[name] = measure(wrk, name, f"{base}{path}")
    return results


def count_queries(env: dict, seed: dict) -> dict:
    """Each changing page's query count (and slowest query's plan), from bench/queries.py."""
    day, time_of_day = seed["slots"][-1]
    counted = {
        **env,
        "BENCH_TARGETS": json.dumps(changing_pages(seed)),
        "BENCH_SLOT": f"{day},{time_of_day}",
    }
    script = (ROOT / "bench" / "queries.py").read_text()
    return json.loads(run_manage(counted, "shell", "-v0", "-c", script).strip().splitlines()[-1])


def staff_session(base: str) -> str:
    """The front desk's session cookie, from logging in as a browser does."""
    address = urllib.parse.urlsplit(base).netloc
    login = f"/{ADMIN}login/"
    connection = http.client.HTTPConnection(address, timeout=10)
    connection.request("GET", login)
    answer = connection.getresponse()
    page = answer.read().decode()
    cookies = _cookies(answer)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": "bench-desk", "password": STAFF_PASSWORD, "csrfmiddlewaretoken": token}
    connection = http.client.HTTPConnection(address, timeout=10)
    connection.request(
        "POST",
        login,
        urllib.parse.urlencode({**form, "next": f"/{ADMIN}"}),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    answer = connection.getresponse()
    answer.read()
    if answer.status != 302:
        sys.exit(f"The bench's staff login failed ({answer.status})")
    cookies.update(_cookies(answer))
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _cookies(answer: http.client.HTTPResponse) -> dict[str, str]:
    pairs = (header.split(";", 1)[0] for header in answer.headers.get_all("Set-Cookie") or [])
    return dict(pair.split("=", 1) for pair in pairs)


def wire_sizes(url: str) -> dict[str, int]:
    """Bytes of the page's body on the wire for each encoding a browser may ask for."""
    sizes = {}
    for asked in ("br", "gzip", None):
        headers = {"Accept-Encoding": asked} if asked else {}
        request = urllib.request.Request(url, headers=headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            encoding = answer.headers.get("Content-Encoding") or "identity"
            sizes[f"{asked or 'identity'} asked, {encoding} sent"] = len(answer.read())
    return sizes


def find_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607
        return shutil.which("wrk")
    sys.exit("make bench needs the load generator wrk: sudo apt-get install wrk")


def production_env(database_url: str, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # no TLS proxy in front of the bench
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "DJANGO_CACHE_DIR": str(workdir / "cache"),  # never the cache folder make run serves
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "BOOKING_RATE_LIMIT_PER_MINUTE": "1000000000",  # bench only: one client sends it all
        "BOOKING_RATE_LIMIT_PER_HOUR": "1000000000",
        "BOOKING_RATE_LIMIT_PER_CONTACT": "1000000000",
        "BOOKING_MAX_UPCOMING_PER_PATIENT": "1000000000",
        "BOOKING_MIN_FILL_SECONDS": "0",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_MAX_REQUESTS": "0",  # no worker recycling in the middle of a measurement
    }


def run_manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stderr}")
    return result.stdout


class gunicorn:
    """gunicorn with the project's gunicorn.conf.py on a free port."""

    def __init__(self, env: dict) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}

    def __enter__(self) -> tuple[str, int]:
        self.log = open(Path(tempfile.gettempdir()) / "bench-gunicorn.log", "a")
        self.process = subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "gunicorn", "clinic.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        time.sleep(1)  # let both workers finish starting
                        return self.base, self.process.pid
            except OSError:
                time.sleep(0.2)
        self.process.terminate()
        sys.exit(f"gunicorn did not start; see {self.log.name}")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def static_url(base: str) -> str:
    with urllib.request.urlopen(f"{base}/", timeout=10) as page:  # noqa: S310
        html = page.read().decode()
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)


def warm_up(url: str, times: int = 20, cookie: str = "") -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    for _ in range(times):
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            answer.read()


def booking_script(base: str, seed: dict, workdir: Path) -> Path:
    """A wrk script posting valid requests to free slots, as a browser would."""
    form_url = f"{base}/book/?date={seed['slots'][0][0]}"
    with urllib.request.urlopen(form_url, timeout=10) as page:  # noqa: S310
        html = page.read().decode()
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    slots = ",".join(f'{{"{day}","{time}"}}' for day, time in seed["slots"])
    script = workdir / "booking.lua"
    script.write_text(
        (ROOT / "bench" / "booking.lua")
        .read_text()
        .replace("__SLOTS__", slots)
        .replace("__COOKIE__", cookie)
        .replace("__CSRF__", hidden["csrfmiddlewaretoken"])
        .replace("__STARTED__", hidden["started"])
    )
    return script


def measure(
    wrk: str,
    name: str,
    url: str,
    script: Path | None = None,
    *,
    encoding: str | None = COMPRESSED,
    cookie: str = "",
    seconds: int = SECONDS,
) -> Result:
    print(f"  {name:34} {url}", flush=True)
    command = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    if encoding:
        command += ["-H", f"Accept-Encoding: {encoding}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    errors = int(_number(r"Non-2xx or 3xx responses: (\d+)", output, 0))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return Result(
        name=name,
        rate=float(_number(r"Requests/sec:\s+([\d.]+)", output)),
        p50_ms=_milliseconds(re.search(r"\s50%\s+([\d.]+\w+)", output).group(1)),
        p99_ms=_milliseconds(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1)),
        requests=int(_number(r"(\d+) requests in", output)),
        errors=errors,
    )


def _number(pattern: str, text: str, default=None):
    match = re.search(pattern, text)
    if match is None and default is None:
        raise ValueError(f"no {pattern!r} in wrk's output:\n{text}")
    return match.group(1) if match else default


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def worker_pids(master: int) -> list[str]:
    return Path(f"/proc/{master}/task/{master}/children").read_text().split()


def worker_peak_rss(master: int) -> list[int]:
    """Peak resident memory (VmHWM, in KiB) of each worker of a gunicorn master."""
    peaks = []
    for pid in worker_pids(master):
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)))
    return peaks


def versions(database_url: str) -> list[str]:
    import django
    import gunicorn as gunicorn_package

    wrk_version = subprocess.run(  # noqa: S603
        [shutil.which("wrk"), "--version"], capture_output=True, text=True
    ).stdout.split()[1]
    if database_url.startswith("sqlite"):
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        database = (
            "PostgreSQL "
            + subprocess.run(  # noqa: S603
                ["psql", database_url, "-tAc", "SHOW server_version"],  # noqa: S607
                capture_output=True,
                text=True,
            ).stdout.strip()
        )
    return [
        f"Python {platform.python_version()}",
        f"Django {django.get_version()}",
        f"gunicorn {gunicorn_package.__version__} (2 sync workers)",
        database,
        f"wrk {wrk_version}",
        "cache: "
        + ("Redis" if os.environ.get("REDIS_URL") else "the machine-wide file cache")
        + " (pages and fragments in each worker's memory)",
    ]


REPORT = ROOT / "docs" / "benchmarks.md"
INTRO = """# Benchmarks

Written by `make bench` (bench/run.py): one section per setup, each from the last run with
that setup (SQLite with the machine-wide file cache by default; PostgreSQL when DATABASE_URL
is set, Redis when REDIS_URL is set). The targets are for this 2-core machine.

"""


def setup_name(database_url: str) -> str:
    database = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    return f"{database}, {cache_name(bool(os.environ.get('REDIS_URL')))}"


def cache_name(redis: bool) -> str:
    return "Redis" if redis else "file cache"


SETUPS = {f"## {db}, {cache_name(redis)}" for db in ("SQLite", "PostgreSQL") for redis in (0, 1)}


def write_report(section: str) -> None:
    """Replace this setup's section of docs/benchmarks.md, keeping the others."""
    text = REPORT.read_text() if REPORT.exists() else INTRO
    sections = re.split(r"(?m)^(?=## )", text)
    heading = section.split("\n", 1)[0]
    kept = [  # the other setups' last sections (and none of a setup this script no longer has)
        part
        for part in sections[1:]
        if part.split("\n", 1)[0] in SETUPS and not part.startswith(heading + "\n")
    ]
    parts = sorted(part.rstrip() + "\n" for part in [*kept, section])
    REPORT.write_text(INTRO + "\n".join(parts))


def render_section(
    results: dict, memory: list[int], database_url: str, requests: int, wire: dict, restarts: int
) -> str:
    static = results["static file (ceiling)"]
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    lines = [
        f"## {setup_name(database_url)}",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: {os.cpu_count()} cores ({cpu.group(1) if cpu else platform.machine()}), "
        f"{platform.system()} {platform.release()}",
        f"- Software: {', '.join(versions(database_url))}",
        f"- Data: the starting content and {requests} appointment requests",
        f"- Load: wrk, {CONNECTIONS} connections, {SECONDS} s per row "
        f"({SUSTAINED_SECONDS} s for the sustained row; the cached condition page with and "
        "without compression in two halves each, in the order A B B A), after a warm-up, with "
        f"`Accept-Encoding: {COMPRESSED}` unless the row says uncompressed; the load "
        "generator runs on the same machine",
        "",
        "| What | Requests/s | p50 | p99 | × static | Target | Errors |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, result in results.items():
        reference = (
            results["static file (second pass)"]
            if name == "condition page (page cache off)"
            else static
        )
        ratio = result.rate / reference.rate
        lines.append(
            f"| {name} | {result.rate:,.0f} | {result.p50_ms:.2f} ms | {result.p99_ms:.2f} ms "
            f"| {ratio:.2f} | {_verdict(name, ratio, result, results)} | {result.errors} |"
        )
    lines += [
        "",
        "The static file is the site's stylesheet served by whitenoise through the same "
        "gunicorn and Django stack: the ceiling every page is compared with. The page cache "
        "is switched off for the second pass (`CLINIC_PAGE_CACHE=0`), which runs with a "
        "fresh static-file measurement of its own. Admin pages are asked for as the front "
        "desk's login (group Front desk), with its session cookie.",
        "",
        "The condition page's HTML on the wire: "
        + ", ".join(f"{size:,} bytes ({how})" for how, size in wire.items())
        + ".",
        "",
        f"The sustained row runs gunicorn with gunicorn.conf.py's worker recycling as "
        f"production has it (no `GUNICORN_MAX_REQUESTS` override): {restarts} worker "
        f"restart(s) during its {SUSTAINED_SECONDS} s. The other rows run with recycling "
        "off, so that no restart falls into a short measurement.",
        "",
        "Peak memory (RSS) per gunicorn worker after the runs: "
        + ", ".join(f"{kib / 1024:.0f} MB" for kib in memory)
        + " (target: at most 100 MB).",
        "",
        *where_the_time_goes(),
    ]
    return "\n".join(lines)


def render_large_data(sizes: dict, memory: list[int], minutes: float) -> str:
    """The pages whose work grows with the data, on 2,000 and on 50,000 requests."""
    small, large = sizes["small"], sizes["large"]
    lines = [
        f"### Years of data: {small['seed']['requests']:,} and {large['seed']['requests']:,} "
        "requests",
        "",
        f"bench/seed.py grows the data to {large['seed']['requests']:,} requests: three years "
        "of past visits (mostly completed, those older than the retention period erased) and "
        f"a busier future; the busy day has {small['seed']['busy_day_requests']} active "
        f"requests on the small data set and {large['seed']['busy_day_requests']} on the "
        "large one. Each page is measured as above; time per request is the inverse of the "
        "rate at the same concurrency. Queries are counted per page (Django's test client, "
        "second request).",
        "",
        "| What | Requests/s (small) | Requests/s (large) | p99 (large) | Time × | "
        "Queries (small → large) | Target | Errors |",
        "|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name, before in small["results"].items():
        after = large["results"][name]
        slowdown = before.rate / after.rate
        counts = small["queries"][name]["queries"], large["queries"][name]["queries"]
        met = slowdown <= LARGE_DATA_SLOWDOWN and counts[0] == counts[1]
        lines.append(
            f"| {name} | {before.rate:,.0f} | {after.rate:,.0f} | {after.p99_ms:.2f} ms "
            f"| {slowdown:.2f} | {counts[0]} → {counts[1]} "
            f"| ≤ {LARGE_DATA_SLOWDOWN} ×, same queries: {'met' if met else '**missed**'} "
            f"| {after.errors} |"
        )
    lines += [
        "",
        "Peak memory (RSS) per gunicorn worker after the large-data run: "
        + ", ".join(f"{kib / 1024:.0f} MB" for kib in memory)
        + " (target: at most 100 MB).",
        "",
    ]
    plans = [(name, found) for name, found in large["queries"].items() if found["plan"]]
    if plans:
        lines += [
            "Each page's slowest query on the large data set, as PostgreSQL runs it "
            "(`EXPLAIN ANALYZE`, bench/queries.py):",
            "",
        ]
        for name, found in plans:
            sql, *plan = found["plan"]
            lines += [
                f"- {name} ({found['slowest_ms']:.2f} ms): `{sql[:160]}…`",
                "",
                "  ```",
                *(f"  {row}" for row in plan),
                "  ```",
                "",
            ]
    lines += [f"The whole `make bench` run took {minutes:.1f} minutes.", ""]
    return "\n".join(lines)


def where_the_time_goes() -> list[str]:
    lines = [
        "### Where the time goes",
        "",
        "- A cached page is answered by `PublicPageCacheMiddleware` right after whitenoise: "
        "the page comes from the worker's memory, already compressed (brotli and gzip, made "
        "once when it is stored), and counts only if it was rendered for the current content "
        "version. Each worker trusts the version it last read for "
        "CLINIC_CONTENT_VERSION_TRUST_SECONDS (1 s), so most cached pages cost no cache "
        "round trip at all.",
        "- Uncached pages spend most of their time rendering templates. The header, the "
        "footer and the urgent-care signs are `{% cache %}` fragments keyed by the content "
        "version, rendered Markdown is memoised and the published conditions are kept per "
        "version, so a condition page costs little more than its own template.",
        "- The booking form renders crispy-forms fields, whose templates are the slowest "
        "part; the blank patient-details fields, the consent box, the day field and the "
        "reason list are cached fragments until someone types, and the free times' radios "
        "are written in one template. The schedule and the day's bookings cost a query "
        "each.",
        "- Booking POSTs are serialised per day by design (the lock that prevents "
        "overbooking) and each writes the request, its audit event, two outbox rows and the "
        "task that sends them (no e-mail is sent in the request): they are bound by the "
        "database's writes, not by Python.",
        "- With years of requests, indexes keep each page's reads to what it shows "
        "(booking/migrations/0009): a day's bookings are read through (status, visit time) "
        "between the day's end and the longest visit before its start; the admin's list "
        "reads its first page from an index in its own order (waiting first, visit time, "
        "newest); a patient's upcoming requests are found by e-mail (upper-cased) or "
        "phone; a search by a whole phone number uses the phone index, by part of one a "
        "trigram index on PostgreSQL; the start "
        "page reads today's visits by time range. What still reads every row: the "
        "changelist's count and the years of its date hierarchy (index-only scans).",
    ]
    lines.append(
        "- Compressed or not, a cached page costs the app the same: through every middleware "
        "in one process, about 160 µs either way (the copies are made once, when the page is "
        "stored; the encoding chosen per header is remembered). Over this machine's loopback, "
        "wrk gets the 13.6 KB uncompressed page a few per cent faster than the 3.4 KB brotli "
        "one, measured in turns; the static file, 97 KB as it is and 13 KB in brotli, goes "
        "faster compressed. On a patient's phone network the 10 KB saved per page is what "
        "counts."
    )
    if os.environ.get("REDIS_URL"):
        lines.append(
            "- With Redis, the content version is read at most once a second per worker; a "
            "save shows on every app server within that second. The Redis server here shares "
            "the 2 cores with wrk and both workers."
        )
    lines += ["", "#### Profile of uncached pages", ""]
    if PROFILE_SUMMARY.exists():
        lines.append(PROFILE_SUMMARY.read_text().strip())
    else:
        lines.append(f"(Not summarised yet: {PROFILE_SUMMARY.relative_to(ROOT)} goes here.)")
    return [*lines, ""]


def _verdict(name: str, ratio: float, result: Result, results: dict) -> str:
    if name == "booking POSTs":
        return "zero errors: " + ("met" if result.errors == 0 else "**missed**")
    if name == "condition page (cached), uncompressed":
        met = results["condition page (cached)"].rate >= result.rate * (1 - SAME_RATE_WITHIN)
        goal = f"compressed rate ≥ this (within {SAME_RATE_WITHIN:.0%}, the rows' noise)"
        return f"{goal}: " + ("met" if met else "**missed**")
    if name not in TARGETS:
        return ""
    minimum, p99 = TARGETS[name]
    met = (minimum is None or ratio >= minimum) and (p99 is None or result.p99_ms < p99)
    goals = [f"≥ {minimum} ×" if minimum else "", f"p99 < {p99:.0f} ms" if p99 else ""]
    return ", ".join(goal for goal in goals if goal) + ": " + ("met" if met else "**missed**")


if __name__ == "__main__":
    main()
