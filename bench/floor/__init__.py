"""The floor endpoint for bench/run (see app.py)."""
