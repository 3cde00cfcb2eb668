"""Foundations every layer may use: errors, worker processes, atomic files."""
