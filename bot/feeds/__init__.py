"""Feeds stage: fetch, parse and schedule the configured feeds (with full text and URL checks); hands on feed items."""
