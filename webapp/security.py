"""Browser-side defences on every response: Content-Security-Policy and the other security headers."""
from urllib.parse import urlsplit

from flask import Flask, request
from flask_babel.speaklater import LazyString
from markupsafe import escape
from werkzeug.middleware.proxy_fix import ProxyFix

HSTS = "max-age=31536000; includeSubDomains"
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def tile_origin(tile_url: str) -> str | None:
    """The origin map tiles come from, as a CSP source ("{s}" subdomains become a wildcard); None if own site."""
    parts = urlsplit(tile_url or "")
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    # A template placeholder anywhere else in the host cannot be expressed in CSP: allow the scheme's whole host
    # part after it instead of silently breaking the tiles.
    if "{" in host:
        host = "*." + host.rsplit("}", 1)[1].lstrip(".")
    return f"{parts.scheme}://{host}"


def content_security_policy(tile_url: str) -> str:
    """The policy: scripts only from our own files (no inline, no eval); inline styles stay allowed."""
    images = ["'self'", "data:", "blob:"]
    origin = tile_origin(tile_url)
    if origin:
        images.append(origin)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Templates colour categories with style="" attributes and Leaflet positions its panes inline.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def _lazy_text_as_html(self) -> str:
    return escape(str(self))


def init_security(app: Flask) -> None:
    """Add the security headers to every response; trust PROXY_FIX proxies' forwarded scheme, host and address."""
    # Flask-Babel's lazy strings claim to be markup (__html__ returns them unescaped), so a lazy message
    # interpolating user text ("Item 1 (%(title)s) ...") reached templates as raw HTML. Our messages are plain
    # text, never markup: escape them like any other string.
    LazyString.__html__ = _lazy_text_as_html
    proxies = int(app.config.get("PROXY_FIX", 0) or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    policy = content_security_policy(app.config.get("TILE_URL", ""))

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        # HSTS over plain HTTP is ignored by browsers and would be wrong on a local http:// deployment.
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
