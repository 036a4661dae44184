"""The Textual application: a thin face over the services."""
