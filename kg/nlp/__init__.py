"""Text to actors and relations: the spaCy pipeline and kg's components."""
