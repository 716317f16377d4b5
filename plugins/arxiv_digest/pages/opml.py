"""The OPML subscription list: every feed of the site, for one-click import into a feed reader.

Pure: the glue hands in absolute feed URLs (from the URL module) and writes the text
to ``/feeds/keywords.opml``. Keyword names come from keywords.yaml and are untrusted;
ElementTree escapes every attribute.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Subscription:
    """One feed as a feed reader lists it."""

    title: str
    xml_url: str  # the Atom feed, absolute
    html_url: str  # the page the feed follows, absolute


def opml(title: str, subscriptions: Iterable[Subscription]) -> str:
    """OPML 2.0 text listing ``subscriptions`` in the order given.

    No ``dateCreated``: the same keywords give the same bytes, build after build.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in subscriptions:
        # OPML 2.0 asks for both text and title; readers show one or the other.
        ET.SubElement(
            body,
            "outline",
            type="rss",
            text=feed.title,
            title=feed.title,
            xmlUrl=feed.xml_url,
            htmlUrl=feed.html_url,
        )
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
