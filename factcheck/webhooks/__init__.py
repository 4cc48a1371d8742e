"""Outgoing webhooks: signed HTTP POSTs to the endpoints newsrooms register, for workflow events."""
