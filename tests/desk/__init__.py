"""The desk's tests."""
