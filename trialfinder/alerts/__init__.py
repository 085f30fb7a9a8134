"""Trial alerts: double opt-in sign-up, digests of new or changed trials, one-click unsubscribe."""
