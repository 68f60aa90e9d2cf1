"""The only place that knows a search engine: analysis, the Whoosh store, exact phrases, catalog, generations."""
