"""The headless node: the engine with a JSON-lines front instead of Qt."""
