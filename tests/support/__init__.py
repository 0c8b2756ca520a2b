"""Helpers the integration, channel and browser tests share: free ports, a running assistant, a REST chat."""
