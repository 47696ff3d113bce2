"""Helping contributors add records: commented scaffolds and records made from BibTeX."""
