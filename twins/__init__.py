"""dtu twins: stateful behavioural clones of third-party APIs, generated from OpenAPI specs."""

__version__ = "0.1.0"
