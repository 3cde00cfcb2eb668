"""Loaders of the upstream datasets in data/catalog.yml (placeholder: being written)."""
