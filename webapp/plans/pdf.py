"""The printable plan as PDF, printed by headless Chromium (Playwright) in a separate process."""
import subprocess
import sys
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.errors import AppError

STYLESHEETS = ("css/app.css", "css/plan-public.css")
# Run apart from the web process: Playwright's sync API cannot run inside a server thread's event loop,
# and a crash of the browser must not take the request worker with it.
SCRIPT = r"""
import sys
from playwright.sync_api import sync_playwright
html = sys.stdin.buffer.read().decode("utf-8")
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=sys.argv[1], args=[
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"])
    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())
    page.set_content(html, wait_until="load")
    sys.stdout.buffer.write(page.pdf(format="A4", print_background=True,
                                     margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}))
    browser.close()
"""


class PdfUnavailable(AppError):
    status, code = 503, "pdf_unavailable"


def stylesheets() -> str:
    """The page's own stylesheets as one text, inlined into the document Chromium prints."""
    static = Path(current_app.static_folder)
    return "\n".join((static / name).read_text(encoding="utf-8") for name in STYLESHEETS)


def render_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document; PdfUnavailable when no browser can print it."""
    chromium = current_app.config.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).exists():
        raise PdfUnavailable(_l("The PDF cannot be made on this server; use the print page instead."))
    try:
        done = subprocess.run([sys.executable, "-c", SCRIPT, chromium], input=html.encode("utf-8"),
                              capture_output=True, timeout=60, check=False)
    except subprocess.TimeoutExpired as err:
        raise PdfUnavailable(_l("The PDF took too long to make; use the print page instead.")) from err
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        current_app.logger.error("PDF failed: %s", done.stderr.decode("utf-8", "replace")[-2000:])
        raise PdfUnavailable(_l("The PDF cannot be made on this server; use the print page instead."))
    return done.stdout
