"""Every visible string is translated: the catalogues cover everything the code and templates say."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _catalog(lang: str):
    with open(ROOT / "webapp/translations" / lang / "LC_MESSAGES/messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def _source_messages() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "webapp", method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_source_string_has_a_korean_translation():
    catalog = _catalog("ko")
    missing = sorted(m for m in _source_messages() if not (catalog.get(m) and catalog.get(m).string))
    assert missing == [], f"untranslated (run `make extract-messages` and translate): {missing}"


def test_catalogues_have_no_empty_or_fuzzy_entries():
    for lang in ("ko", "en"):
        catalog = _catalog(lang)
        bad = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert bad == [], f"{lang}: {bad}"


def test_korean_translations_keep_placeholders():
    import re

    placeholder = re.compile(r"%%|%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdf]|\{\w+\}")
    for message in _catalog("ko"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # Korean has one plural form; it must carry the placeholders of the plural msgid.
        for translated in strings:
            assert sorted(placeholder.findall(ids[-1])) == sorted(placeholder.findall(translated)), ids
