"""The catalog core: record models, the defensive YAML source, loading, cross-record checks,
problem messages and reporters, and atomic file writing. Everything else builds on this
package; it imports nothing from the rest of ai4radiology."""
