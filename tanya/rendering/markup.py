"""The assistant's light text markup and its rendering per channel.

Answers are written once (knowledge data, message catalogue) in WhatsApp's own conventions, which read
well as plain text too:
- `*bold*` for a heading or a key word;
- one item per line starting with "• " (bullets) or "1. " (numbered);
- a blank line between paragraphs.
Each channel renders that text: WhatsApp as is, Telegram as HTML (escaped, `*x*` -> `<b>x</b>`), plain
text without the asterisks, the website widget as bold text nodes (web/widget, same rule). Long texts
are split on paragraph boundaries to stay under a channel's limit.
"""

from __future__ import annotations

import html
import re
from typing import List

# `*text*` where the asterisks touch the text and are not part of a word ("5*3" or "**" stay as they are).
BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def to_plain(text: str) -> str:
    return BOLD.sub(r"\1", text)


def to_whatsapp(text: str) -> str:
    return text


def to_telegram_html(text: str) -> str:
    """Telegram `parse_mode=HTML`: everything escaped, then the bold markers turned into <b>."""
    return BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))


def split_paragraphs(text: str, limit: int) -> List[str]:
    """`text` in parts of at most `limit` characters, cut between paragraphs, else lines, else words."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: List[str] = []
    current = ""
    for unit, joiner in _units(text, limit):
        candidate = f"{current}{joiner}{unit}" if current else unit
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                parts.append(current)
            current = unit
    if current:
        parts.append(current)
    return parts


def _units(text: str, limit: int):
    """Paragraphs; a paragraph longer than the limit is broken into lines, a line into words."""
    for paragraph in text.split("\n\n"):
        if len(paragraph) <= limit:
            yield paragraph, "\n\n"
            continue
        for line in paragraph.split("\n"):
            if len(line) <= limit:
                yield line, "\n"
                continue
            for word in _words(line, limit):
                yield word, " "


def _words(line: str, limit: int):
    for word in line.split(" "):
        while len(word) > limit:  # a single "word" longer than the limit (a URL): cut hard
            yield word[:limit]
            word = word[limit:]
        if word:
            yield word
