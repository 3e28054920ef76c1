"""Pages: server time per page (p50/p99) on the demo data, and what a phone downloads.

Serves the app (uvicorn, one process) over a demo database, signs in as the demo
applicant and NGO through the pages, then

1. times ``--repeat`` GETs of each page over loopback (p50/p99 of the whole round
   trip: an upper bound of the server's render time), beside ``GET /health`` in the
   same run as the yardstick (the same server, no template, no database);
2. loads each applicant page in Chromium at 360 px and sums the bytes transferred
   (the page, stylesheet, scripts, images: the Resource Timing API's transferSize,
   compressed as sent), with the load time under an emulated slow mobile link
   (400 kbit/s down, 400 ms round trip: Chrome's "Slow 3G").

Usage (a demo database first: ``garita db upgrade && garita demo``):

    .venv/bin/python bench/bench_pages.py --database sqlite:///var/demo.sqlite3 [--repeat 200]

``--desk-only`` times the yardstick and the NGO desk alone (no browser).
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import threading
import time

import httpx
import uvicorn

from garita.app import create_app
from garita.settings import Settings

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def serve(url: str) -> tuple[uvicorn.Server, str]:
    app = create_app(Settings(database_url=url))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def signed_in(base: str, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, follow_redirects=True)
    page = client.get("/signin").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = client.post("/signin", data={"csrf": token, "email": email, "password": password})
    r.raise_for_status()
    return client


def timed(client: httpx.Client, path: str, repeat: int) -> tuple[float, float, int]:
    samples = []
    for _ in range(10):  # warm-up: template compilation, caches, connections
        client.get(path)
    for _ in range(repeat):
        start = time.perf_counter()
        r = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (path, r.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1], len(r.content)


def applicant_pages(client: httpx.Client) -> list[str]:
    mine = client.get("/me").text
    ids = re.findall(r'href="/me/registrations/(\d+)"', mine)
    pages = ["/", "/signup", "/signin", "/me", "/me/registrations/new?size=4"]
    if ids:
        pages += [f"/me/registrations/{ids[0]}", f"/me/registrations/{ids[0]}/ask"]
    for reg in ids:
        status = client.get(f"/me/registrations/{reg}").text
        found = re.search(r'href="(/me/offers/\d+/notice)"', status)
        if found:
            pages.append(found.group(1))
            break
    return pages


def weights(base: str, pages: list[str], email: str, password: str) -> list[tuple]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(base + "/signin")
        page.locator("#email").fill(email)
        page.locator("#password").fill(password)
        page.locator("form[action='/signin'] button[type=submit]").click()
        page.wait_for_load_state("load")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        for path in pages:
            cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": 400, "downloadThroughput": 400 * 1024 / 8,
                "uploadThroughput": 400 * 1024 / 8})
            start = time.perf_counter()
            page.goto(base + path, wait_until="load")
            slow = time.perf_counter() - start
            size = page.evaluate("""() => performance.getEntriesByType('navigation')
                .concat(performance.getEntriesByType('resource'))
                .reduce((n, e) => n + e.transferSize, 0)""")
            out.append((path, size, slow))
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--applicant", default="applicant@garita.example:demo-applicant-password")
    parser.add_argument("--ngo", default="ngo@garita.example:demo-ngo-password")
    parser.add_argument("--desk-only", action="store_true",
                        help="Time only the yardstick and the NGO desk (no browser).")
    args = parser.parse_args()
    server, base = serve(args.database)
    email, password = args.applicant.split(":")
    applicant = signed_in(base, email, password)
    ngo = signed_in(base, *args.ngo.split(":"))
    pages = [] if args.desk_only else applicant_pages(applicant)
    print(f"{'page':44} {'p50 ms':>8} {'p99 ms':>8} {'bytes':>8}")
    p50, p99, _ = timed(applicant, "/health", args.repeat)
    print(f"{'GET /health (yardstick)':44} {p50:8.1f} {p99:8.1f}")
    for path in pages:
        p50, p99, size = timed(applicant, path, args.repeat)
        print(f"{path:44} {p50:8.1f} {p99:8.1f} {size:8}")
    p50, p99, size = timed(ngo, "/desk", args.repeat)
    print(f"{'/desk (NGO, 20 rows with their stage)':44} {p50:8.1f} {p99:8.1f} {size:8}")
    if not args.desk_only:
        print(f"\n{'applicant page at 360 px':44} {'KB sent':>8} {'slow 3G load s':>15}")
        for path, size, slow in weights(base, pages, email, password):
            print(f"{path:44} {size / 1024:8.1f} {slow:15.2f}")
    server.should_exit = True


if __name__ == "__main__":
    main()
