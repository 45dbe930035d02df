"""Settings, read from the environment when the app is created (never at import time)."""
import os
import secrets
from pathlib import Path

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept under instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def from_environment(instance_path: str) -> dict:
    """Build the configuration mapping from environment variables."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    env = os.environ.get
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": env("DATABASE_URL", f"sqlite:///{instance / 'smartcity.db'}"),
        "SPATIALITE_LIBRARY_PATH": env("SPATIALITE_LIBRARY_PATH", "mod_spatialite"),
        "PHOTO_DIR": env("PHOTO_DIR", str(instance / "photos")),
        "PHOTO_MAX_BYTES": int(env("PHOTO_MAX_BYTES", 8 * 1024 * 1024)),
        "PHOTO_MAX_COUNT": 3,
        "MAX_CONTENT_LENGTH": int(env("MAX_CONTENT_LENGTH", 30 * 1024 * 1024)),
        # Request bodies other than uploads: JSON size and nesting, form memory and parts (checked before parsing).
        "JSON_MAX_BYTES": int(env("JSON_MAX_BYTES", 1024 * 1024)),
        "JSON_MAX_DEPTH": 32,
        "MAX_FORM_MEMORY_SIZE": int(env("MAX_FORM_MEMORY_SIZE", 1024 * 1024)),
        "MAX_FORM_PARTS": 1000,
        "TILE_URL": env("TILE_URL", DEFAULT_TILE_URL),
        "TILE_ATTRIBUTION": env("TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
        # Rate-limit counters: shared by every worker process only in Redis (REDIS_URL implies it).
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI") or env("REDIS_URL") or "memory://",
        "RATELIMIT_KEY_PREFIX": env("RATELIMIT_KEY_PREFIX", "smartcity"),
        "RATELIMIT_ENABLED": env("RATELIMIT_ENABLED", "1") != "0",
        "WRITE_RATE_LIMIT": env("WRITE_RATE_LIMIT", "60 per minute"),
        "REGISTER_RATE_LIMIT": env("REGISTER_RATE_LIMIT", "5 per hour"),
        # Sign-in back-off: after this many failures (per account, per address) attempts wait
        # LOGIN_DELAY_SECONDS, doubled with each further failure up to LOGIN_MAX_DELAY_SECONDS.
        "LOGIN_MAX_FAILURES": int(env("LOGIN_MAX_FAILURES", 5)),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(env("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)),
        "LOGIN_DELAY_SECONDS": int(env("LOGIN_DELAY_SECONDS", 30)),
        "LOGIN_MAX_DELAY_SECONDS": int(env("LOGIN_MAX_DELAY_SECONDS", 15 * 60)),
        "LOGIN_FAILURE_WINDOW": int(env("LOGIN_FAILURE_WINDOW", 24 * 3600)),
        "BABEL_DEFAULT_LOCALE": "ko",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Seoul",
        "LANGUAGES": ("ko", "en"),
        # SESSION_COOKIE_SECURE is the one HTTPS switch: the remember cookie follows it (auth/session.py).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
        "PROXY_FIX": int(env("PROXY_FIX", 0)),
        "NEARBY_RADIUS_M": 100,
        "API_MAX_LIMIT": 1000,
        # Problem analytics: hot spots (DBSCAN), heat grid and the priority score's weights.
        "ANALYTICS_EPS_M": float(env("ANALYTICS_EPS_M", 150)),
        "ANALYTICS_MIN_POINTS": int(env("ANALYTICS_MIN_POINTS", 2)),
        "ANALYTICS_WEIGHT_VOTES": float(env("ANALYTICS_WEIGHT_VOTES", 2.0)),
        "ANALYTICS_WEIGHT_SIZE": float(env("ANALYTICS_WEIGHT_SIZE", 2.0)),
        "ANALYTICS_WEIGHT_AGE": float(env("ANALYTICS_WEIGHT_AGE", 3.0)),
        "ANALYTICS_AGE_CAP_DAYS": int(env("ANALYTICS_AGE_CAP_DAYS", 90)),
        "ANALYTICS_HEAT_CELL_M": float(env("ANALYTICS_HEAT_CELL_M", 100)),
        "ANALYTICS_HEAT_RADIUS_M": float(env("ANALYTICS_HEAT_RADIUS_M", 400)),
    }
