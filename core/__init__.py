"""Domain core of the ISO 55001 platform: framework-free models, services and queries."""
