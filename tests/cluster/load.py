"""Load for the cluster tests: loopback only, bounded in time, standard library only.

    python tests/cluster/load.py probe URL --seconds 15 [--interval 0.05]
    python tests/cluster/load.py pdf-flood URL --clients 32 --seconds 15 [--rate 4]
    python tests/cluster/load.py slow-headers URL --clients 50 --seconds 14

Each prints one JSON object. Every client of the PDF flood has a loopback address of its
own (127.0.1.N), as separate visitors would, so nginx's per-client limit applies to each
and the per-instance cap to all of them together. The probe runs in its own process so
that its timings do not wait on the load's event loop.
"""

import argparse
import asyncio
import json
import random
import sys
import time
from urllib.parse import urlsplit

FINDINGS = (
    "polyneuropathy",
    "monoclonal_plasma_cell_disorder",
    "castleman_disease",
    "sclerotic_bone_lesions",
    "organomegaly",
    "extravascular_volume_overload",
    "endocrinopathy",
    "skin_changes",
    "papilledema",
    "thrombocytosis_polycythemia",
    "clubbing",
    "weight_loss",
    "hyperhidrosis",
)
LANGUAGES = ("en", "ja", "zh-hans")
VALUES = ("present", "absent", "unknown")


def loopback(url):
    parts = urlsplit(url)
    if not (parts.hostname or "").startswith("127."):
        raise SystemExit(f"load goes to 127.0.0.0/8 only, not {parts.hostname}")
    return parts.hostname, parts.port or 80


def random_query(rng):
    pairs = [f"{slug}={rng.choice(VALUES)}" for slug in FINDINGS if rng.random() < 0.8]
    if rng.random() < 0.5:
        pairs.append(f"vegf={rng.randint(0, 3000)}&vegf_specimen={rng.choice(['serum', 'plasma'])}")
    return "&".join(pairs)


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def get(host, port, path, source=None, timeout=30.0, headers=()):
    """One HTTP/1.1 GET on a new connection: (status, headers, body bytes, seconds)."""
    started = time.perf_counter()
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(host, port, local_addr=(source, 0) if source else None),
        timeout,
    )
    try:
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{extra}\r\n".encode()
        )
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    seconds = time.perf_counter() - started
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return status, fields, len(body), seconds


# --- probe ------------------------------------------------------------------------------


async def probe(url, seconds, interval):
    host, port = loopback(url)
    path = urlsplit(url).path or "/"
    latencies, failures, served_by_app = [], [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        tick = time.monotonic()
        try:
            status, fields, _, took = await get(host, port, path, timeout=10)
            if status == 200:
                latencies.append(took * 1000)
                # Django's middleware sets it; nginx's own answers do not carry it.
                served_by_app += "permissions-policy" in fields
            else:
                failures.append(status)
        except (OSError, TimeoutError) as error:
            failures.append(type(error).__name__)
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - tick)))
    return {
        "requests": len(latencies) + len(failures),
        "ok": len(latencies),
        "served_by_app": served_by_app,
        "failures": failures[:20],
        "failure_count": len(failures),
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies) if latencies else None,
    }


# --- PDF flood --------------------------------------------------------------------------


async def pdf_client(host, port, source, seconds, rate, seed, results):
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        tick = time.monotonic()
        path = f"/{rng.choice(LANGUAGES)}/checklist/summary.pdf?{random_query(rng)}"
        try:
            status, fields, size, took = await get(host, port, path, source=source, timeout=30)
            results.append(
                {
                    "status": status,
                    "ms": took * 1000,
                    "pdf": fields.get("content-type") == "application/pdf" and size > 1000,
                    "retry_after": "retry-after" in fields,
                    "end": time.monotonic(),
                }
            )
        except (OSError, TimeoutError) as error:
            results.append({"status": type(error).__name__, "ms": None, "end": time.monotonic()})
        await asyncio.sleep(max(0.0, 1.0 / rate - (time.monotonic() - tick)))


async def pdf_flood(url, clients, seconds, rate):
    host, port = loopback(url)
    results = []
    started = time.monotonic()
    await asyncio.gather(
        *(
            pdf_client(host, port, f"127.0.1.{n + 1}", seconds, rate, n, results)
            for n in range(clients)
        )
    )
    elapsed = time.monotonic() - started
    made = [r for r in results if r["status"] == 200 and r.get("pdf")]
    refused = [r for r in results if r["status"] in (429, 503)]
    refused_ms = [r["ms"] for r in refused]
    other = [r["status"] for r in results if r["status"] not in (200, 429, 503)]
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(results),
        "pdfs": len(made),
        "pdfs_per_second": round(len(made) / elapsed, 2),
        "pdf_p50_ms": percentile([r["ms"] for r in made], 0.5),
        "pdf_p99_ms": percentile([r["ms"] for r in made], 0.99),
        "refused_429": sum(r["status"] == 429 for r in refused),
        "refused_503": sum(r["status"] == 503 for r in refused),
        "refused_without_retry_after": sum(not r["retry_after"] for r in refused),
        "refused_p50_ms": percentile(refused_ms, 0.5),
        "refused_p99_ms": percentile(refused_ms, 0.99),
        "refused_max_ms": max(refused_ms) if refused_ms else None,
        "other": other[:20],
        "other_count": len(other),
    }


# --- slow headers -----------------------------------------------------------------------


async def slow_client(host, port, seconds, every):
    """Sends a request's headers one line every few seconds; returns when the server
    closed the connection (seconds after opening) or None if it never did."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(f"GET /en/ HTTP/1.1\r\nHost: {host}\r\n".encode())
        await writer.drain()
        while time.monotonic() - started < seconds:
            try:
                data = await asyncio.wait_for(reader.read(1024), every)
                if not data:
                    return time.monotonic() - started
            except TimeoutError:
                pass
            try:
                writer.write(b"X-Slow: b\r\n")
                await writer.drain()
            except OSError:
                return time.monotonic() - started
        return None
    except OSError:
        return time.monotonic() - started
    finally:
        writer.close()


async def slow_headers(url, clients, seconds, every):
    host, port = loopback(url)
    closed = await asyncio.gather(
        *(slow_client(host, port, seconds, every) for _ in range(clients))
    )
    closed_after = [c for c in closed if c is not None]
    return {
        "clients": clients,
        "closed_by_server": len(closed_after),
        "closed_after_s_max": max(closed_after) if closed_after else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("probe")
    one.add_argument("url")
    one.add_argument("--seconds", type=float, default=15)
    one.add_argument("--interval", type=float, default=0.05)
    flood = sub.add_parser("pdf-flood")
    flood.add_argument("url")
    flood.add_argument("--clients", type=int, default=32)
    flood.add_argument("--seconds", type=float, default=15)
    flood.add_argument("--rate", type=float, default=4, help="requests per second per client")
    slow = sub.add_parser("slow-headers")
    slow.add_argument("url")
    slow.add_argument("--clients", type=int, default=50)
    slow.add_argument("--seconds", type=float, default=14)
    slow.add_argument("--every", type=float, default=2)
    args = parser.parse_args()
    if args.command == "probe":
        result = asyncio.run(probe(args.url, args.seconds, args.interval))
    elif args.command == "pdf-flood":
        result = asyncio.run(pdf_flood(args.url, args.clients, args.seconds, args.rate))
    else:
        result = asyncio.run(slow_headers(args.url, args.clients, args.seconds, args.every))
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
