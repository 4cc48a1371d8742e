"""End-to-end tests: the whole product with a real worker process (see conftest.py)."""
