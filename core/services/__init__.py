"""Use cases that change state. Each opens one session, applies rules, commits once."""
