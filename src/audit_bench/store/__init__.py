"""Storage: crash-safe TinyDB files, one per audit, with locks, migrations and an index."""
