"""Checks of the content a sponsor edits: termbase, glossary links, completeness, readability."""
