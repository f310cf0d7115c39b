"""Numeric cross-checks of the closed forms against independent references."""
