"""Pages every visitor sees: home, privacy, overdose card, offline page, health, PWA files."""
