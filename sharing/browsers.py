"""A browser and device in a few words, from a User-Agent header.

An opening of a shared link keeps only this ("Firefox on Android"), never the
whole header or the address it came from: enough for the person to recognise
their therapist's visit, and nothing that locates anyone.
"""

# The first match wins: Edge, Opera and Samsung Internet also say "Chrome", and
# Chrome says "Safari".
BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
DEVICES = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "Mac"),
    ("Linux", "Linux"),
]
# Link previews in chat and mail apps open links too; saying so helps the person read the list.
PREVIEWERS = ("bot", "preview", "crawler", "spider", "facebookexternalhit", "WhatsApp", "Slack")


def describe_browser(user_agent: str) -> str:
    if not user_agent.strip():
        return "Unknown browser"
    lowered = user_agent.lower()
    if any(word.lower() in lowered for word in PREVIEWERS):
        return "A link preview or robot"
    browser = next((name for marker, name in BROWSERS if marker in user_agent), "A browser")
    device = next((name for marker, name in DEVICES if marker in user_agent), None)
    return f"{browser} on {device}" if device else browser
