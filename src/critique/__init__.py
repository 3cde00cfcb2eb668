"""critique-suite."""
