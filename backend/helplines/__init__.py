"""The helpline directory: emergency numbers now; the operators' directory builds on it."""
