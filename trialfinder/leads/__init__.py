"""The site's side of a lead: acknowledge or forward from the email, reminders, the report."""
