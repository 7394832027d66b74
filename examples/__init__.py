"""Example apps a product team might have an agent build, to run against the twins."""
