"""The published site: its pages (jinja2 → Markdown for MkDocs), charts, link-check marks,
and the build that swaps a new site in only when MkDocs succeeds."""
