"""One module per domain; each registers its StatTable subclasses with sunshine.stats.registry.register."""
