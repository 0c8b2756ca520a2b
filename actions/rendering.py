"""Turn knowledge facts into short, chat-bubble friendly lists in one language.

Only layout lives here (bullets, numbering, blank lines between groups); every word comes from the
knowledge module or from the YAML responses that wrap these lists.
"""

from __future__ import annotations

from typing import Iterable, Sequence

BULLET = "•"


def bullet_list(items: Iterable[str]) -> str:
    return "\n".join(f"{BULLET} {item}" for item in items)


def numbered_list(items: Iterable[str]) -> str:
    return "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


def _with_url(name: str, url: str | None) -> str:
    if not url or url.lower() in name.lower():
        return name
    return f"{name}: {url}"


def channel_groups_text(groups: Sequence, language: str) -> str:
    """'Physical channels:' then bullets, one block per group, blocks separated by a blank line."""
    blocks = []
    for group in groups:
        lines = [_with_url(channel.name.get(language), channel.url) for channel in group.channels]
        blocks.append(f"{group.label.get(language)}:\n{bullet_list(lines)}")
    return "\n\n".join(blocks)


def document_groups_text(groups: Sequence, language: str) -> str:
    """Bullets of documents; PMI's groups are headed by their stage."""
    blocks = []
    for group in groups:
        items = bullet_list(document.name.get(language) for document in group.documents)
        blocks.append(f"{group.stage.name.get(language)}:\n{items}" if group.stage else items)
    return "\n\n".join(blocks)


def texts_list(texts: Iterable, language: str) -> str:
    return bullet_list(text.get(language) for text in texts)


def segments_text(segments: Sequence, language: str) -> str:
    return bullet_list(f"{segment.name.get(language)} ({segment.short_name.get(language)})" for segment in segments)


def contacts_text(contacts: Sequence, language: str) -> str:
    lines = []
    for contact in contacts:
        line = f"{contact.name.get(language)}: {contact.detail.get(language)}"
        lines.append(_with_url(line, contact.url))
    return bullet_list(lines)


def branches_text(branches: Sequence) -> str:
    return bullet_list(branch.name for branch in branches)
