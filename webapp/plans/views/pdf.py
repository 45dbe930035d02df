"""The printable plan as PDF, laid out by WeasyPrint (a runtime requirement; Korean with the system CJK fonts)."""
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from webapp.errors import AppError

STYLESHEETS = ("css/app.css", "css/plan-public.css")
MARGINS = "@page { size: A4; margin: 15mm 12mm; }"
# Links in the document resolve against this origin, which nothing answers: the fetcher maps its
# static paths to our files, so no address ever reaches the network or the rest of the disk.
ORIGIN = "https://pdf.invalid"


class PdfUnavailable(AppError):
    status, code = 503, "pdf_unavailable"


def stylesheets() -> Markup:
    """The page's own stylesheets as one text, inlined into the document the PDF is made from."""
    static = Path(current_app.static_folder)
    # Markup: our own files, not user text; escaped, `a > b` would reach the <style> element as `a &gt; b`.
    return Markup("\n".join((static / name).read_text(encoding="utf-8") for name in STYLESHEETS))


def _static_css_fetcher(static: Path, prefix: str):
    """A URL fetcher that serves our own stylesheets and refuses every other address, network above all."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    css = (static / "css").resolve()

    class StaticCss(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = None
            if f"{parts.scheme}://{parts.netloc}" == ORIGIN and parts.path.startswith(prefix):
                path = (static / unquote(parts.path[len(prefix):])).resolve()
            if path is None or path.suffix != ".css" or not path.is_relative_to(css) or not path.is_file():
                # Plan text is escaped, so only a template change could ask for more; never fetch it.
                current_app.logger.warning("PDF: refused to fetch %s", url[:200])
                raise ValueError(f"not one of our stylesheets: {url[:200]}")
            return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": "text/css"})

    return StaticCss()


def render_pdf(html: str) -> bytes:
    """The PDF of an HTML document whose only resources are our stylesheets; PdfUnavailable if it cannot be made."""
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as err:  # OSError: the system's Pango is missing (see .ci/system-deps)
        current_app.logger.error("PDF unavailable: %s", err)
        raise PdfUnavailable(_l("The PDF cannot be made on this server; use the print page instead.")) from err
    prefix = f"{current_app.static_url_path}/"
    fetcher = _static_css_fetcher(Path(current_app.static_folder), prefix)
    document = HTML(string=html, base_url=f"{ORIGIN}{prefix}", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(string=MARGINS, url_fetcher=fetcher)])
