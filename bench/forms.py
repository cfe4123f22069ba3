"""Fill in and submit HTML forms the way a browser would, for load scripts.

The load client shares the machine with the server it measures, so its own
CPU is kept small: a page is read with two regular expressions (the form tags,
then each tag's attributes) rather than an HTML parser. On the 125 KB entry
form that took about 4 ms where html.parser took 11 to 18, with the same
fields found on every page the workload reads.
"""

import html
import re

# The only tags a form's fields come from (a quoted attribute may hold a ">").
FORM_TAGS = re.compile(
    r"<(/?)(form|input|select|option|textarea)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.IGNORECASE,
)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, double, single, bare in ATTRIBUTE.findall(text):
        value = double or single or bare
        found.setdefault(name.lower(), html.unescape(value) if "&" in value else value)
    return found


def parse_forms(page: str) -> list[dict]:
    """Each <form>'s action, method and the values its fields would send as they stand."""
    forms: list[dict] = []
    form: dict | None = None
    select: str | None = None
    for closing, tag, rest in FORM_TAGS.findall(page):
        tag = tag.lower()
        if closing:
            if tag == "form":
                form = None
            elif tag == "select":
                select = None
            continue
        attrs = _attributes(rest)
        if tag == "form":
            form = {
                "action": attrs.get("action", ""),
                "method": (attrs.get("method") or "get").lower(),
                "fields": {},
                "names": set(),
            }
            forms.append(form)
            continue
        if form is None:
            continue
        fields, name = form["fields"], attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            form["names"].add(name)
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs or (kind == "radio" and name not in fields):
                    fields[name] = attrs.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                fields.setdefault(name, attrs.get("value", ""))
        elif tag == "select" and name:
            select = name
            form["names"].add(name)
        elif tag == "option" and select:
            if select not in fields or "selected" in attrs:
                fields[select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            form["names"].add(name)
            fields.setdefault(name, "")
    return forms


def find_form(page: str, action_contains: str) -> dict:
    for form in parse_forms(page):
        if action_contains in form["action"]:
            return form
    raise LookupError(f"no form posting to *{action_contains}* on the page")
