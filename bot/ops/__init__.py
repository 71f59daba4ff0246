"""Ops stage: operators' tools (config file edits and reload, feed health, /healthz, /metrics, logging)."""
