"""Contact the study team: the form, nearest-site routing, durable leads and their emails."""
