"""The catalog in other formats: BibTeX in and out, JSON Schema, catalog.json and the Atom feed."""
