"""Operator accounts: password + TOTP login, roles, API tokens, and their commands."""
