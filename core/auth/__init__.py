"""Authentication and roles, free of any web framework: tokens in, identities out."""
