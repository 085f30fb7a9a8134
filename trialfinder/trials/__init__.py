"""Trials: registry import, plain-language content, the list, overview and FAQ pages."""
