"""Ops stage: operator tools (config edits and reload, feed health, /healthz, /metrics, logs) for service and bot."""
