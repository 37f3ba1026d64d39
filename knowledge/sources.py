"""Rules for an entry's `source`: it must be the page that states the fact, not a site's front door."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

# Last path segments that are a site's front page rather than a page about one service.
_INDEX_NAMES = ("index", "default", "home", "main", "mp")
# Paths that are portal roots on official sites (ris.gov.tw/app/portal lists every service).
_PORTAL_ROOTS = ("/app/portal", "/portal", "/mp", "/ch", "/en")


def is_bare_home_page(url: str) -> bool:
    """True when url is a home or index page: empty path, "/", index.*, or a portal root with nothing after it."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    if not path:
        return not parts.query
    if path.lower() in _PORTAL_ROOTS:
        return True
    last = path.rsplit("/", 1)[-1].lower()
    stem = last.split(".", 1)[0]
    return stem in _INDEX_NAMES and "." in last and not parts.query


def whole_law_instead_of_article(url: str) -> bool:
    """True for a law.moj.gov.tw link to a whole law (LawAll) rather than one article (LawSingle with flno)."""
    parts = urlsplit(url.strip())
    if not parts.netloc.endswith("law.moj.gov.tw"):
        return False
    query = {k.lower(): v for k, v in parse_qs(parts.query).items()}
    return parts.path.lower().endswith("lawall.aspx") or (
        parts.path.lower().endswith("lawsingle.aspx") and "flno" not in query)


def source_problems(url: str) -> list[str]:
    """Why url cannot serve as an entry's source (empty when it can)."""
    if not url.startswith(("https://", "http://")):
        return ["source must be a URL"]
    if is_bare_home_page(url):
        return ["source is a bare home page; link the page that states the fact"]
    if whole_law_instead_of_article(url):
        return ["source links a whole law; link the article (LawSingle.aspx?pcode=...&flno=N)"]
    return []
