"""Check-in reminders over Web Push: subscriptions, schedules and the sending worker."""
