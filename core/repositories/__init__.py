"""Persistence per aggregate: add, get, list. Repositories never commit."""
