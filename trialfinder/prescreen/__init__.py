"""Pre-screen questionnaire (a placeholder on this branch; the real package arrives at merge)."""
