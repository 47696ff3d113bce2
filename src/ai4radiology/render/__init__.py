"""Markdown rendering: the one escaping path for record text, the view models shared by
the README and the site, and the README/CONTRIBUTING documents."""
