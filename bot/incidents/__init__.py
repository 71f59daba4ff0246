"""Incidents stage: the poll cycle turns feed items into articles, reports and merged incidents, with outbox rows."""
