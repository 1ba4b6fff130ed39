"""Long-running robustness tests of the renderer against the local fake service."""
