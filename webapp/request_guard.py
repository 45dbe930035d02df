"""Limits checked before a request's input is parsed: path ids, query strings, JSON size and depth, form size."""
import json
import re

from flask import Flask, Request, current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound, RequestEntityTooLarge
from werkzeug.routing import BaseConverter, ValidationError

from webapp.errors import AppError, ValidationFailed

ID_MAX = 2**31 - 1  # the largest value of an Integer primary key on both databases
# C0 controls and DEL; tab, newline and carriage return are allowed only where multi-line text is.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A JSON string with its escapes, so that brackets inside strings are not counted as nesting.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_OPENING = frozenset("[{")

CONTROL_MESSAGE = _l("Remove control characters (such as NUL) from this field.")


class IdConverter(BaseConverter):
    """A database id in a URL: ASCII digits only, 1 to 2^31-1; anything else matches no route (404)."""

    regex = r"[0-9]{1,10}"
    weight = 50

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text, counted without parsing it."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    level = deepest = 0
    for char in brackets:
        if char in _OPENING:
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


class TooDeep(AppError):
    status, code = 400, "too_deeply_nested"


class GuardedRequest(Request):
    """A request whose JSON body is refused when too large or too deeply nested, before it is parsed."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        if force or self.is_json:
            limit = current_app.config["JSON_MAX_BYTES"]
            if self.content_length is not None and self.content_length > limit:
                raise RequestEntityTooLarge()
            data = self.get_data(cache=cache)
            if len(data) > limit:
                raise RequestEntityTooLarge()
            try:
                text = data.decode(json.detect_encoding(data), "surrogatepass")
            except (UnicodeDecodeError, LookupError):
                text = None  # not decodable: the parser refuses it as malformed JSON
            if text is not None and json_depth(text) > current_app.config["JSON_MAX_DEPTH"]:
                raise TooDeep(_l("The JSON body nests too deeply (at most %(n)d levels).",
                                 n=current_app.config["JSON_MAX_DEPTH"]))
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            # The scan above should prevent this; a parser that still recurses too far is bad input too.
            raise TooDeep(_l("The JSON body nests too deeply (at most %(n)d levels).",
                             n=current_app.config["JSON_MAX_DEPTH"])) from None


def _check_request() -> None:
    """Refuse control characters in the path and the query string, and oversized url-encoded forms."""
    if ANY_CONTROL.search(request.path):
        raise NotFound()
    bad = [name for name, value in request.args.items(multi=True)
           if ANY_CONTROL.search(value) or ANY_CONTROL.search(name)]
    if bad:
        raise ValidationFailed(fields={ANY_CONTROL.sub("?", name): [CONTROL_MESSAGE] for name in bad})
    if request.mimetype == "application/x-www-form-urlencoded":
        # Werkzeug reads such a body whole, with no limit on its fields; keep it to the form memory size.
        length = request.content_length
        if length is not None and length > current_app.config["MAX_FORM_MEMORY_SIZE"]:
            raise RequestEntityTooLarge()


def init_request_guard(app: Flask) -> None:
    """Install the id converter (as `int` and `id`), the guarded request class and the early checks."""
    # Before any blueprint registers its rules: a rule picks its converter when it is added.
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["id"] = IdConverter
    app.request_class = GuardedRequest
    app.before_request(_check_request)
