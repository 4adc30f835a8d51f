"""The helpline directory: lines operators keep current, the public page, the API, and
the emergency numbers."""
