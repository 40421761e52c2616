"""Performance benchmarks against a real PostgreSQL and a real gunicorn server (`python -m bench.run`)."""
