"""kg: an offline knowledge-graph builder for geopolitical text."""

__version__ = "0.1.0"
