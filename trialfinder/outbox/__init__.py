"""Outbox: the one place that sends mail, after the commit that makes it true."""
