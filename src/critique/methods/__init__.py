"""The critiques: one package a method, each with an ``analyse()`` that returns a result object (ARCHITECTURE.md)."""
