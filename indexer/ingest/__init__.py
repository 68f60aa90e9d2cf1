"""Bytes on disk to parsed reports: reading, parsing, sections, metadata."""
