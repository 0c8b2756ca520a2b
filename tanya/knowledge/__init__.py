"""Knowledge module: the registration page's facts, loaded from data/knowledge into SQL, read by actions."""
