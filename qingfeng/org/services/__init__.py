"""Every write a user can cause on the organisation. Views and the API call these; nothing else writes."""
