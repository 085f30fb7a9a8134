"""Pre-screening questionnaire: questions as data, a pure rules engine, pages and an API."""
