"""`make bench`: load-test the production server on 127.0.0.1 and print the figures.

Starts gunicorn (2 workers, production settings, a fresh SQLite database with the
shipped content) on a free loopback port, runs wrk against each endpoint for a bounded
time, and prints requests per second, p50/p95/p99 latency, errors and the throughput
ratio to /healthz measured in the same run (this machine is noisy: ratios hold,
absolute figures do not). Checklist, API and PDF loads draw from many different
random checklists, so no cache of whole responses can stand in for the work.
"""

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checklist.rules import FINDINGS  # noqa: E402  (after the path is set)

SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
PDF_SECONDS = int(os.environ.get("BENCH_PDF_SECONDS", "20"))
VALUES = ("present", "absent", "unknown")

LUA = """
paths = {%(paths)s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50\\": %%d, \\"p95\\": %%d, "
    .. "\\"p99\\": %%d, \\"errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), errors))
end
"""


def random_checklists(count, seed=2026):
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        pairs = [f"{slug}={rng.choice(VALUES)}" for slug in FINDINGS]
        if rng.random() < 0.5:
            pairs.append(
                f"vegf={rng.randint(0, 3000)}&vegf_specimen={rng.choice(['serum', 'plasma'])}"
            )
        queries.append("&".join(pairs))
    return queries


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


def run_wrk(base, name, paths, workdir, connections, seconds):
    script = workdir / f"{name}.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)})
    threads = str(min(2, connections))
    command = ["wrk", "-t", threads, "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "10s", "-s", str(script), base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main():
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed. Install it with: sudo apt-get install wrk (Debian/Ubuntu)"
        )
    workdir = Path(tempfile.mkdtemp(prefix="poems-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "poems_site.settings.production",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        # Its own cache: never share words with another site running on this host.
        "DJANGO_CACHE_DIR": str(workdir / "cache"),
        "SITE_BASE_URL": f"http://127.0.0.1:{port}",
    }
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_initial_content"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT)
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "poems_site.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--no-control-socket"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz")
        checklists = random_checklists(2000)
        scenarios = [
            ("/healthz", ["/healthz"]),
            ("empty checklist", ["/en/checklist/"]),
            ("full checklist", [f"/en/checklist/?{q}" for q in checklists]),
            ("content page", ["/en/learn/vegf/", "/ja/learn/treatment/",
                              "/zh-hans/learn/overview/"]),
            ("API", [f"/api/v1/evaluate?{q}" for q in checklists]),
        ]  # fmt: skip
        for _name, paths in scenarios:  # warm every worker's caches
            for path in paths[:4]:
                urllib.request.urlopen(base + path, timeout=10).read()
        results = {}
        for name, paths in scenarios:
            results[name] = run_wrk(base, name.replace(" ", "-").strip("/"), paths, workdir,
                                    CONNECTIONS, SECONDS)  # fmt: skip
        pdf_paths = [f"/en/checklist/summary.pdf?{q}" for q in checklists[:200]]
        results["PDF (2 connections)"] = run_wrk(base, "pdf", pdf_paths, workdir, 2, PDF_SECONDS)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    baseline = results["/healthz"]["rps"]
    print(f"\nwrk, {CONNECTIONS} connections, {SECONDS} s each, 10 s timeout; "
          f"gunicorn 2 workers, production settings\n")  # fmt: skip
    print(f"{'endpoint':<22}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'errors':>8}{'vs /healthz':>13}")  # fmt: skip
    for name, r in results.items():
        print(f"{name:<22}{r['rps']:>9.0f}{r['p50'] / 1000:>9.1f}{r['p95'] / 1000:>9.1f}"
              f"{r['p99'] / 1000:>9.1f}{r['errors']:>8}{r['rps'] / baseline:>12.0%}")  # fmt: skip


if __name__ == "__main__":
    main()
