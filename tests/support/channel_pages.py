"""Telegram channel preview pages (`https://t.me/s/NAME`) for tests, written from the public structure.

The markup follows what projects that turn channels into feeds parse: a `section.tgme_channel_history`
holding one `div.tgme_widget_message[data-post="NAME/ID"]` per post, its text in
`div.tgme_widget_message_text`, emoji as `i.emoji` with the character inside, the time in the
`<time datetime>` of `a.tgme_widget_message_date` inside `span.tgme_widget_message_meta` (which starts with
"edited" for an edited post), and a `tgme_widget_message_forwarded_from` block for a forward. The text of
every post here is our own.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["Post", "missing_channel_page", "preview_page"]


@dataclass
class Post:
    """One post; `html_text` is already markup (tests put links, <br>, emoji and formatting in it)."""

    id: int
    html_text: str
    when: str = "2024-04-23T08:00:00+00:00"
    edited: bool = False
    forwarded_from: str | None = None
    service: bool = False


def _post(name: str, p: Post) -> str:
    fwd = (
        '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
        f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/{html.escape(p.forwarded_from)}">'
        f"<span>{html.escape(p.forwarded_from)}</span></a></div>"
        if p.forwarded_from
        else ""
    )
    cls = "tgme_widget_message text_not_supported_wrap js-widget_message" + (" service_message" if p.service else "")
    meta = (
        '<span class="tgme_widget_message_meta">'
        + ("edited " if p.edited else "")
        + f'<a class="tgme_widget_message_date" href="https://t.me/{name}/{p.id}">'
        f'<time datetime="{p.when}" class="time">08:00</time></a></span>'
    )
    return (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        f'<div class="{cls}" data-post="{name}/{p.id}" data-view="x">'
        '<div class="tgme_widget_message_user"><a href="https://t.me/x"><i class="tgme_widget_message_user_photo">'
        "</i></a></div>"
        '<div class="tgme_widget_message_bubble"><i class="tgme_widget_message_bubble_tail"></i>'
        f'<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
        f'href="https://t.me/{name}"><span dir="auto">Channel {name}</span></a></div>'
        f"{fwd}"
        f'<div class="tgme_widget_message_text js-message_text" dir="auto">{p.html_text}</div>'
        '<div class="tgme_widget_message_footer compact js-message_footer">'
        '<div class="tgme_widget_message_info short js-message_info">'
        '<span class="tgme_widget_message_views">1.2K</span>'
        f"{meta}</div></div></div></div></div>"
    )


def preview_page(name: str, posts: list[Post], *, title: str = "", before: int | None = None) -> bytes:
    """A channel's preview page with these posts (oldest first, as t.me shows them)."""
    more = (
        f'<a class="tme_messages_more js-messages_more" data-before="{before}" href="/s/{name}?before={before}"></a>'
        if before
        else ""
    )
    body = "".join(_post(name, p) for p in posts)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Channel</title>'
        '<script>var x = \'<div class="tgme_widget_message" data-post="evil/1">no</div>\';</script></head>'
        '<body class="widget_frame_base tgme_webpreview">'
        '<div class="tgme_channel_info"><div class="tgme_channel_info_header">'
        f'<div class="tgme_channel_info_header_title"><span dir="auto">{html.escape(title or name)}</span></div>'
        "</div></div>"
        '<main class="tgme_main"><section class="tgme_channel_history js-message_history">'
        f"{more}{body}</section></main></body></html>"
    ).encode()


def missing_channel_page(name: str) -> bytes:
    """What t.me shows for a username with no public channel: a profile page, no message history."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body class="tgme_page_body">'
        '<div class="tgme_page"><div class="tgme_page_title"><span dir="auto">Telegram</span></div>'
        f'<div class="tgme_page_description">If you have Telegram, you can contact @{html.escape(name)} '
        "right away.</div></div></body></html>"
    ).encode()
