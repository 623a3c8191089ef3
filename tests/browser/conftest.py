"""Browser tests: Playwright drives Debian's Chromium (installed by `make test`) against the live test server."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, keep what every open page showed (image and HTML) in var/screenshots/failures/,
    where a CI run's artefacts can be read."""
    report = yield
    browser = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.failed and call.when == "call" and browser is not None:
        folder = SCREENSHOTS / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        name = item.name.replace("/", "-").replace("[", "-").rstrip("]")
        pages = [page for context in browser.contexts for page in context.pages]
        for number, page in enumerate(pages, start=1):
            try:
                page.screenshot(path=str(folder / f"{name}-{number}.png"), full_page=True)
                frames = "\n".join(f"<!-- frame {frame.url} -->\n{frame.content()}" for frame in page.frames)
                (folder / f"{name}-{number}.html").write_text(frames)
            except Exception as error:  # a page that closed or crashed: say so, keep the test's own failure
                (folder / f"{name}-{number}.txt").write_text(repr(error))
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script: the page's CSP (script-src 'self') would refuse it otherwise.
    return {**browser_context_args, "bypass_csp": True, "locale": "fr-FR"}


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def axe_violations():
    """Run axe-core on the page and return the serious and critical violations."""

    def run(page):
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run


@pytest.fixture
def asgi_server(transactional_db):
    """The real ASGI application (HTTP and WebSocket) served by uvicorn in a thread, on the test database."""
    import socket
    import threading
    import time

    import uvicorn
    from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers

    # A channel layer of its own for the server's event loop: channels_redis binds receiving to one loop, and
    # consumer tests that ran earlier in this process may have left theirs marked as receiving.
    channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        "config.asgi:application", host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
    # Django's ASGI handler runs each request's sync code in a thread of its own and does not always close the
    # connection opened there; on PostgreSQL it would stop the test database from being dropped at the end of
    # the run (in production the connection pool bounds them).
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
