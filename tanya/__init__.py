"""TanyaBPJAMSOSTEK shared library: knowledge module, language detection, storage."""
