"""Private notes on trial pages, shared encrypted behind a link and a passcode."""
