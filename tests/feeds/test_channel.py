"""Telegram channel sources: which URLs name a channel, and the preview page read as a feed (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import ConfigError, channel_name, parse_settings
from bot.feeds.channel import (
    is_edit,
    last_post_of,
    parse_channel,
    post_item,
    post_number,
    posts_to_read,
    preview_url,
    read_posts,
)
from bot.feeds.parse import ParsedItem
from tests.support.channel_pages import Post, missing_channel_page, preview_page


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("tg:rasad_test", "rasad_test"),
        ("tg:@rasad_test", "rasad_test"),
        ("https://t.me/rasad_test", "rasad_test"),
        ("https://t.me/s/rasad_test", "rasad_test"),
        ("https://t.me/s/rasad_test/", "rasad_test"),
        ("http://telegram.me/rasad_test", "rasad_test"),
        ("https://t.me/rasad_test/123", None),  # a post, not a channel
        ("https://t.me/s/rasad_test?before=10", None),
        ("https://t.me/joinchat/AAAA", None),
        ("https://t.me/+AbCdEf", None),
        ("https://example.com/rasad_test", None),
        ("tg:abc", None),  # too short for a username
        ("tg:1channel", None),
        ("file:///tmp/feed.xml", None),
    ],
)
def test_channel_name(url: str, name: str | None) -> None:
    assert channel_name(url) == name


def test_config_keeps_channels_as_tg_names_with_role_and_interval() -> None:
    s = parse_settings(
        {
            "channels": {"preview_base_url": "http://127.0.0.1:1/s/"},
            "feeds": [
                {"name": "A", "url": "https://t.me/s/group_a", "role": "claimant"},
                {"name": "B", "url": "https://example.com/feed.xml"},
            ],
        },
        source="test",
    )
    a, b = s.feeds
    assert (a.url, a.role, b.role) == ("tg:group_a", "claimant", "news")
    assert s.feed_interval(a).total_seconds() == 60  # the polite channel default
    assert s.feed_interval(b).total_seconds() == 300
    assert preview_url("group_a", s.channels.preview_base_url) == "http://127.0.0.1:1/s/group_a"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"feeds": [{"name": "A", "url": "tg:x"}]}, "feeds[0].url"),
        ({"feeds": [{"name": "A", "url": "tg:group_a", "role": "claim"}]}, "feeds[0].role"),
        ({"channels": {"preview_base_url": "ftp://mirror/"}}, "channels.preview_base_url"),
        ({"channels": {"interval": "0s"}}, "channels.interval"),
    ],
)
def test_config_problems_name_their_key(data: dict[str, object], problem: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_settings(data, source="test")
    assert any(p.startswith(problem) for p in err.value.problems), err.value.problems


def test_posts_become_items_with_stable_ids_links_times_and_plain_text() -> None:
    page = preview_page(
        "group_a",
        [
            Post(
                5,
                '<i class="emoji" style="background-image:url(x)"><b>🔻</b></i> <b>بيان</b><br/>'
                'السطر الثاني <a href="https://example.com/x">الرابط</a> ✅',
                when="2024-04-23T06:30:00+00:00",
            ),
            Post(7, "منشور معدّل", edited=True),
            Post(6, "منشور محوّل", forwarded_from="other_group"),
            Post(8, "", service=True),
        ],
        title="Group A",
    )
    title, posts, history = read_posts(page, "group_a")
    assert history and title == "Group A"
    assert [p.post_id for p in posts] == [5, 6, 7]  # oldest first; the service message dropped
    first = posts[0]
    assert first.text == "بيان\nالسطر الثاني الرابط (https://example.com/x)"
    assert first.published == datetime(2024, 4, 23, 6, 30, tzinfo=UTC)
    assert (posts[1].forwarded_from, posts[1].edited, posts[2].edited) == ("other_group", False, True)
    item = post_item(first)
    assert (item.guid, item.link, item.title) == ("group_a/5", "https://t.me/group_a/5", "بيان")
    assert post_item(first).identity == item.identity  # stable


def test_an_edit_changes_the_identity_only_of_edited_posts() -> None:
    (a,) = read_posts(preview_page("group_a", [Post(1, "نص")]), "group_a")[1]
    (b,) = read_posts(preview_page("group_a", [Post(1, "نص آخر", edited=True)]), "group_a")[1]
    (c,) = read_posts(preview_page("group_a", [Post(1, "نص ثالث", edited=True)]), "group_a")[1]
    ids = {post_item(p).identity for p in (a, b, c)}
    assert len(ids) == 3
    assert len({post_item(p).link for p in (a, b, c)}) == 1


def test_missing_private_or_renamed_channel_is_a_clear_error() -> None:
    parsed = parse_channel(missing_channel_page("gone_group"), "gone_group")
    assert parsed.items == [] and parsed.error is not None
    assert "@gone_group" in parsed.error and "private, missing or renamed" in parsed.error


def test_an_empty_channel_is_not_an_error() -> None:
    parsed = parse_channel(preview_page("quiet_group", []), "quiet_group")
    assert parsed.error is None and parsed.items == []


def test_hostile_markup_yields_plain_text_and_only_this_channels_posts() -> None:
    hostile = (
        '<script>alert(1)</script><style>p{}</style>&lt;b&gt;نص&lt;/b&gt; <img src=x onerror="alert(2)">'
        '<div class="tgme_widget_message" data-post="other_group/99">دخيل</div>'
        '<a href="javascript:alert(3)">رابط</a> \u202eمعكوس'
    )
    page = preview_page("group_a", [Post(1, hostile)])
    page = page.replace(b"</section>", b'<div class="tgme_widget_message" data-post="other_group/2">x</div></section>')
    page += b"<div><<<>>><!-- unterminated"
    _, posts, _ = read_posts(page, "group_a")
    assert [p.post_id for p in posts] == [1]
    text = posts[0].text
    assert "<" not in text and "alert" not in text and "javascript" not in text
    assert "نص" in text and "رابط" in text


def test_arabic_with_mixed_digits_is_kept() -> None:
    page = preview_page("group_a", [Post(3, "استهداف قاعدة التنف ٣ مرات في 2 يوم ۴")])
    (post,) = read_posts(page, "group_a")[1]
    assert post.text == "استهداف قاعدة التنف ٣ مرات في 2 يوم ۴"


def test_a_huge_page_is_bounded() -> None:
    posts = [Post(i, "نص " * 2000) for i in range(1, 400)]
    _, read, _ = read_posts(preview_page("group_a", posts), "group_a")
    assert 0 < len(read) <= 200


def test_pagination_link_is_not_a_post() -> None:
    _, posts, _ = read_posts(preview_page("group_a", [Post(11, "نص")], before=11), "group_a")
    assert [p.post_id for p in posts] == [11]


def _items(*posts: Post) -> list[ParsedItem]:
    return [post_item(p) for p in read_posts(preview_page("group_a", list(posts)), "group_a")[1]]


OLD, MID, NEW = Post(5, "نص خامس"), Post(6, "نص سادس"), Post(7, "نص سابع")
MID_EDITED = Post(6, "نص سادس بعد التعديل", edited=True)


@pytest.mark.parametrize(
    ("case", "posts", "last", "seen_posts", "want"),
    [
        ("first read: everything", [OLD, MID, NEW], None, [], [5, 6, 7]),
        ("newer than the last post read", [OLD, MID, NEW], 6, [OLD, MID], [7]),
        ("old posts stay old when the item memory was pruned", [OLD, MID, NEW], 6, [], [7]),
        ("an edit of an old post is read again", [OLD, MID_EDITED, NEW], 7, [OLD, MID, NEW], [6]),
        ("the same edit is not read twice", [OLD, MID_EDITED, NEW], 7, [OLD, MID_EDITED, NEW], []),
        ("an edit the pruned memory forgot is read again (the article store keeps it one)", [MID_EDITED], 7, [], [6]),
        ("nothing new", [OLD, MID], 6, [OLD, MID], []),
    ],
)
def test_posts_to_read(case: str, posts: list[Post], last: int | None, seen_posts: list[Post], want: list[int]) -> None:
    seen = {i.identity for i in _items(*seen_posts)} if seen_posts else set()
    got = [post_number(i) for i in posts_to_read(_items(*posts), last, seen)]
    assert got == want, case


def test_edit_marks_and_the_last_post_id() -> None:
    old, mid, new = _items(OLD, MID_EDITED, NEW)
    assert (is_edit(old), is_edit(mid), is_edit(new)) == (False, True, False)
    assert last_post_of([old, mid, new], None) == 7
    assert last_post_of([old], 7) == 7  # a deleted newer post lowers nothing
    assert last_post_of([], None) is None
