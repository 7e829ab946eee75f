"""`make bench`: load-test the production server on 127.0.0.1 and print the figures.

Starts gunicorn (2 workers, production settings, a fresh SQLite database with the
shipped content) on a free loopback port, runs wrk against each endpoint for a bounded
time, and prints requests per second, p50/p95/p99 latency, errors and the throughput
ratio to /healthz measured in the same run (this machine is noisy: ratios hold,
absolute figures do not). Checklist, API and PDF loads draw from many different
random checklists, so no cache of whole responses can stand in for the work.
"""

import http.client
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
# Memory: one worker's RSS over many distinct checklists (every cache must stay bounded).
RSS_WARMUP = int(os.environ.get("BENCH_RSS_WARMUP", "3000"))
RSS_CHECKLISTS = int(os.environ.get("BENCH_RSS_CHECKLISTS", "40000"))
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


def random_checklists(count, seed=2026, vegf_share=0.5):
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        pairs = [f"{slug}={rng.choice(VALUES)}" for slug in FINDINGS]
        if rng.random() < vegf_share:
            pairs.append(
                f"vegf={rng.randint(0, 3000)}.{rng.randint(0, 99)}"
                f"&vegf_specimen={rng.choice(['serum', 'plasma'])}"
            )
        queries.append("&".join(pairs))
    return queries


def worker_rss_kb(master_pid):
    """Resident memory of gunicorn's (single) worker, the master's child, in kB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])


def fetch_all(port, paths, threads=4):
    """GET every path once, on a few keep-alive connections; fail on any error."""
    import concurrent.futures

    def run(share):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for path in share:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path[:60]}...: HTTP {response.status}")
        connection.close()

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, [paths[i::threads] for i in range(threads)]))


def memory_growth(env, python, _workdir):
    """One production worker's RSS growth over distinct full checklists after a warm-up."""
    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "poems_site.wsgi:application", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--no-control-socket"],
        env={**env, "SITE_BASE_URL": f"http://127.0.0.1:{port}"}, cwd=ROOT,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        queries = random_checklists(RSS_WARMUP + RSS_CHECKLISTS, seed=40_000, vegf_share=1.0)
        languages = ("en", "zh-hans", "ja")
        paths = [f"/{languages[i % 3]}/checklist/?{q}" for i, q in enumerate(queries)]
        fetch_all(port, paths[:RSS_WARMUP])
        before = worker_rss_kb(server.pid)
        fetch_all(port, paths[RSS_WARMUP:])
        after = worker_rss_kb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return before, after


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

    try:
        rss_before, rss_after = memory_growth(env, python, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    baseline = results["/healthz"]["rps"]
    print(f"\nwrk, {CONNECTIONS} connections, {SECONDS} s each, 10 s timeout; "
          f"gunicorn 2 workers, production settings\n")  # fmt: skip
    print(f"{'endpoint':<22}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'errors':>8}{'vs /healthz':>13}")  # fmt: skip
    for name, r in results.items():
        print(f"{name:<22}{r['rps']:>9.0f}{r['p50'] / 1000:>9.1f}{r['p95'] / 1000:>9.1f}"
              f"{r['p99'] / 1000:>9.1f}{r['errors']:>8}{r['rps'] / baseline:>12.0%}")  # fmt: skip
    memory_report(rss_before, rss_after)


def memory_report(before, after):
    grown = (after - before) / 1024
    print(
        f"\nOne worker's RSS: {before / 1024:.1f} MB after {RSS_WARMUP:,} distinct checklists, "
        f"{after / 1024:.1f} MB after {RSS_CHECKLISTS:,} more: grew {grown:.1f} MB (budget < 5 MB)"
    )


if __name__ == "__main__":
    main()
