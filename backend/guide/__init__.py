"""The guide for family and friends."""
