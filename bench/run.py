"""`make bench`: the site under load, beside the ceiling of a static file from the same app.

Starts gunicorn with production settings (2 sync workers) on a fresh SQLite database, or on
the PostgreSQL database DATABASE_URL names (its tables get bench data: use a throw-away
database), loads the starting content and 2,000 requests, warms up, then measures each
target for 10 s at 8 connections with wrk. A second pass measures the condition page with
the page cache switched off. Prints the figures and writes them to docs/benchmarks.md.
"""

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
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
CONNECTIONS = 8
TARGETS = {  # page: (minimum fraction of the static-file rate, maximum p99 in ms or None)
    "home (cached)": (0.8, 10.0),
    "condition page (cached)": (0.8, 10.0),
    "condition page (page cache off)": (0.1, None),
    "booking form for a day": (0.05, None),
}


@dataclass
class Result:
    name: str
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def main() -> None:
    wrk = find_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = production_env(database_url)
    print(f"Preparing the database ({database_url.split('@')[-1]}) …", flush=True)
    run_manage(env, "migrate", "--no-input", "-v0")
    seed_script = (ROOT / "bench" / "seed.py").read_text()
    seed = json.loads(run_manage(env, "shell", "-v0", "-c", seed_script).strip().splitlines()[-1])
    results: dict[str, Result] = {}
    memory: list[int] = []

    with gunicorn(env) as (base, master):
        static = static_url(base)
        form = f"{base}/book/?date={seed['form_day']}"
        script = booking_script(base, seed, workdir)
        for url in (f"{base}/", f"{base}/conditions/arthritis/", form, f"{base}{static}"):
            warm_up(url)
        results["static file (ceiling)"] = measure(wrk, "static file (ceiling)", f"{base}{static}")
        results["home (cached)"] = measure(wrk, "home (cached)", f"{base}/")
        results["condition page (cached)"] = measure(
            wrk, "condition page (cached)", f"{base}/conditions/arthritis/"
        )
        results["booking form for a day"] = measure(wrk, "booking form for a day", form)
        results["booking POSTs"] = measure(wrk, "booking POSTs", f"{base}/book/", script)
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

    section = render_section(results, memory, database_url, seed["requests"])
    print("\n" + section)
    write_report(section)
    print("Written to docs/benchmarks.md")
    shutil.rmtree(workdir, ignore_errors=True)


def find_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607
        return shutil.which("wrk")
    sys.exit("make bench needs the load generator wrk: sudo apt-get install wrk")


def production_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # no TLS proxy in front of the bench
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
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


def warm_up(url: str, times: int = 20) -> None:
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310
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


def measure(wrk: str, name: str, url: str, script: Path | None = None) -> Result:
    print(f"  {name:34} {url}", flush=True)
    command = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    command += ["-H", "Accept-Encoding: br, gzip"]
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


def worker_peak_rss(master: int) -> list[int]:
    """Peak resident memory (VmHWM, in KiB) of each worker of a gunicorn master."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    peaks = []
    for pid in children:
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
        "cache: " + ("Redis" if os.environ.get("REDIS_URL") else "local memory per worker"),
    ]


REPORT = ROOT / "docs" / "benchmarks.md"
INTRO = """# Benchmarks

Written by `make bench` (bench/run.py): one section per setup, each from the last run with
that setup (SQLite with each process's own cache by default; PostgreSQL when DATABASE_URL is
set, Redis when REDIS_URL is set). The targets are for this 2-core machine.

"""


def setup_name(database_url: str) -> str:
    database = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    cache = "Redis" if os.environ.get("REDIS_URL") else "local-memory cache"
    return f"{database}, {cache}"


def write_report(section: str) -> None:
    """Replace this setup's section of docs/benchmarks.md, keeping the others."""
    text = REPORT.read_text() if REPORT.exists() else INTRO
    sections = re.split(r"(?m)^(?=## )", text)
    heading = section.split("\n", 1)[0]
    kept = [part for part in sections[1:] if not part.startswith(heading + "\n")]
    parts = sorted(part.rstrip() + "\n" for part in [*kept, section])
    REPORT.write_text(INTRO + "\n".join(parts))


def render_section(results: dict, memory: list[int], database_url: str, requests: int) -> str:
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
        f"- Load: wrk, {CONNECTIONS} connections, {SECONDS} s per row, after a warm-up; "
        "the load generator runs on the same machine",
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
            f"| {ratio:.2f} | {_verdict(name, ratio, result)} | {result.errors} |"
        )
    lines += [
        "",
        "The static file is the site's stylesheet served by whitenoise through the same "
        "gunicorn and Django stack: the ceiling every page is compared with. The page cache "
        "is switched off for the second pass (`CLINIC_PAGE_CACHE=0`), which runs with a "
        "fresh static-file measurement of its own.",
        "",
        "Peak memory (RSS) per gunicorn worker after the runs: "
        + ", ".join(f"{kib / 1024:.0f} MB" for kib in memory)
        + " (target: at most 100 MB).",
        "",
        *where_the_time_goes(),
    ]
    return "\n".join(lines)


def where_the_time_goes() -> list[str]:
    lines = [
        "### Where the time goes",
        "",
        "- A cached page is answered by `PublicPageCacheMiddleware` right after whitenoise: "
        "the page comes from the worker's memory and counts only if it was rendered for the "
        "current content version, which is read from the shared cache once per request.",
        "- Uncached pages spend most of their time rendering templates. The footer is a "
        "`{% cache %}` fragment keyed by the content version and rendered Markdown is "
        "memoised, so a condition page costs its 4 queries and the rest of its template.",
        "- The booking form renders crispy-forms fields, whose templates are the slowest "
        "part; the blank patient-details fields and the reason list are cached fragments "
        "until someone types. The day's free times cost one query.",
        "- Booking POSTs are serialised per day by design (the lock that prevents "
        "overbooking) and each writes the request, its audit event, two queued e-mails and "
        "a session: they are bound by the database's writes, not by Python.",
    ]
    if os.environ.get("REDIS_URL"):
        lines.append(
            "- With Redis, that one read of the content version is a network round trip to a "
            "Redis server that here shares the 2 cores with wrk and both workers: it is what "
            "separates a cached page from the static file. Redis on its own host removes "
            "the contention; the version cannot be cached in the worker without letting "
            "another server's save go unseen for a while."
        )
    return [*lines, ""]


def _verdict(name: str, ratio: float, result: Result) -> str:
    if name == "booking POSTs":
        return "zero errors: " + ("met" if result.errors == 0 else "**missed**")
    if name not in TARGETS:
        return ""
    minimum, p99 = TARGETS[name]
    met = ratio >= minimum and (p99 is None or result.p99_ms < p99)
    goal = f"≥ {minimum} ×" + (f", p99 < {p99:.0f} ms" if p99 else "")
    return f"{goal}: " + ("met" if met else "**missed**")


if __name__ == "__main__":
    main()
